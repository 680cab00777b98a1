// Calendar arithmetic against known dates and the host's timegm, and the
// decoding of CMOS RTC readings: BCD and binary, 12- and 24-hour, century.
#include <ctime>
#include <gtest/gtest.h>
#include <kernel/time/Calendar.h>

namespace {

i64 seconds_of(i64 year, u32 month, u32 day, u32 hour = 0, u32 minute = 0, u32 second = 0)
{
    auto result = ktime::to_unix_seconds({ year, month, day, hour, minute, second });
    EXPECT_FALSE(result.is_error()) << year << "-" << month << "-" << day;
    return result.is_error() ? -1 : result.value();
}

bool rejects(i64 year, u32 month, u32 day, u32 hour = 0, u32 minute = 0, u32 second = 0)
{
    auto result = ktime::to_unix_seconds({ year, month, day, hour, minute, second });
    return result.is_error() && result.error().code() == EINVAL;
}

} // namespace

TEST(Calendar, LeapYears)
{
    EXPECT_TRUE(ktime::is_leap_year(2024));
    EXPECT_TRUE(ktime::is_leap_year(2000));  // divisible by 400
    EXPECT_FALSE(ktime::is_leap_year(1900)); // by 100 only
    EXPECT_FALSE(ktime::is_leap_year(2100));
    EXPECT_FALSE(ktime::is_leap_year(2023));
    EXPECT_EQ(ktime::days_in_month(2024, 2), 29u);
    EXPECT_EQ(ktime::days_in_month(2023, 2), 28u);
    EXPECT_EQ(ktime::days_in_month(2100, 2), 28u);
    EXPECT_EQ(ktime::days_in_month(2000, 2), 29u);
    EXPECT_EQ(ktime::days_in_month(2023, 4), 30u);
    EXPECT_EQ(ktime::days_in_month(2023, 12), 31u);
    EXPECT_EQ(ktime::days_in_month(2023, 0), 0u);
    EXPECT_EQ(ktime::days_in_month(2023, 13), 0u);
}

TEST(Calendar, KnownInstants)
{
    EXPECT_EQ(seconds_of(1970, 1, 1), 0);
    EXPECT_EQ(seconds_of(1969, 12, 31, 23, 59, 59), -1);
    EXPECT_EQ(seconds_of(2000, 1, 1), 946684800);
    EXPECT_EQ(seconds_of(2000, 2, 29, 12, 0, 0), 951825600);
    EXPECT_EQ(seconds_of(2000, 3, 1), 951868800);
    EXPECT_EQ(seconds_of(2038, 1, 19, 3, 14, 7), 2147483647); // the 32-bit time_t limit
    EXPECT_EQ(seconds_of(2038, 1, 19, 3, 14, 8), 2147483648);
    EXPECT_EQ(seconds_of(2100, 3, 1), 4107542400);
    EXPECT_EQ(seconds_of(2026, 11, 21, 18, 0, 0), 1795284000);
    EXPECT_EQ(seconds_of(1900, 1, 1), -2208988800);
}

// Every day from 1901 to 2399 (covering 1900-style and 2000-style century
// years and 32-bit time_t's end), at a time of day that varies, against the
// host C library.
TEST(Calendar, MatchesTimegmForEveryDay)
{
    u32 hour = 0;
    for (i64 year = 1901; year < 2400; ++year) {
        for (u32 month = 1; month <= 12; ++month) {
            for (u32 day = 1; day <= ktime::days_in_month(year, month); ++day) {
                hour = (hour + 7) % 24;
                std::tm broken_down {};
                broken_down.tm_year = static_cast<int>(year - 1900);
                broken_down.tm_mon = static_cast<int>(month - 1);
                broken_down.tm_mday = static_cast<int>(day);
                broken_down.tm_hour = static_cast<int>(hour);
                broken_down.tm_min = 59;
                broken_down.tm_sec = 58;
                i64 expected = static_cast<i64>(timegm(&broken_down));
                ASSERT_EQ(seconds_of(year, month, day, hour, 59, 58), expected) << year << "-" << month << "-" << day;
            }
        }
    }
}

TEST(Calendar, RejectsFieldsOutOfRange)
{
    EXPECT_TRUE(rejects(2023, 2, 29));
    EXPECT_TRUE(rejects(2100, 2, 29));
    EXPECT_FALSE(rejects(2000, 2, 29));
    EXPECT_TRUE(rejects(2023, 4, 31));
    EXPECT_TRUE(rejects(2023, 0, 1));
    EXPECT_TRUE(rejects(2023, 13, 1));
    EXPECT_TRUE(rejects(2023, 1, 0));
    EXPECT_TRUE(rejects(2023, 1, 32));
    EXPECT_TRUE(rejects(2023, 1, 1, 24));
    EXPECT_TRUE(rejects(2023, 1, 1, 0, 60));
    EXPECT_TRUE(rejects(2023, 1, 1, 0, 0, 60));
    EXPECT_TRUE(rejects(5'000'000, 1, 1));
    EXPECT_TRUE(rejects(-5'000'000, 1, 1));
}

namespace {

ktime::RtcReading bcd_24_hour(u8 year, u8 month, u8 day, u8 hours, u8 minutes, u8 seconds)
{
    ktime::RtcReading reading {};
    reading.year = year;
    reading.month = month;
    reading.day = day;
    reading.hours = hours;
    reading.minutes = minutes;
    reading.seconds = seconds;
    reading.status_b = ktime::RTC_STATUS_B_24_HOUR; // QEMU's and most firmware's setting
    return reading;
}

i64 decoded_seconds(const ktime::RtcReading& reading)
{
    auto time = ktime::decode_rtc(reading);
    EXPECT_FALSE(time.is_error());
    if (time.is_error())
        return -1;
    return ktime::to_unix_seconds(time.value()).value();
}

bool decode_rejects(const ktime::RtcReading& reading)
{
    auto time = ktime::decode_rtc(reading);
    return time.is_error() && time.error().code() == EINVAL;
}

} // namespace

TEST(RtcDecode, BcdTwentyFourHourWithoutCenturyIsTwentyFirstCentury)
{
    EXPECT_EQ(decoded_seconds(bcd_24_hour(0x26, 0x11, 0x21, 0x18, 0x00, 0x00)), 1795284000);
    EXPECT_EQ(decoded_seconds(bcd_24_hour(0x00, 0x01, 0x01, 0x00, 0x00, 0x00)), 946684800);
    EXPECT_EQ(decoded_seconds(bcd_24_hour(0x99, 0x12, 0x31, 0x23, 0x59, 0x59)), 4102444799); // 2099
}

TEST(RtcDecode, CenturyRegister)
{
    auto reading = bcd_24_hour(0x99, 0x12, 0x31, 0x23, 0x59, 0x59);
    reading.has_century = true;
    reading.century = 0x19;
    EXPECT_EQ(decoded_seconds(reading), 946684799); // 1999-12-31 23:59:59
    reading.century = 0x20;
    EXPECT_EQ(decoded_seconds(reading), 4102444799);
    reading.century = 0x00; // firmware that names the register but never sets it
    EXPECT_TRUE(decode_rejects(reading));
    reading.century = 0x1a; // not BCD
    EXPECT_TRUE(decode_rejects(reading));
}

TEST(RtcDecode, Binary)
{
    auto reading = bcd_24_hour(26, 11, 21, 18, 0, 0);
    reading.status_b |= ktime::RTC_STATUS_B_BINARY;
    EXPECT_EQ(decoded_seconds(reading), 1795284000);
    reading.has_century = true;
    reading.century = 20;
    EXPECT_EQ(decoded_seconds(reading), 1795284000);
    reading.year = 100; // two digits only
    EXPECT_TRUE(decode_rejects(reading));
}

TEST(RtcDecode, TwelveHourMode)
{
    auto reading = bcd_24_hour(0x26, 0x11, 0x21, 0x12, 0x00, 0x00);
    reading.status_b = 0; // 12-hour BCD
    i64 midnight = 1795219200;
    EXPECT_EQ(decoded_seconds(reading), midnight); // 12 AM
    reading.hours = 0x01;
    EXPECT_EQ(decoded_seconds(reading), midnight + 3600); // 1 AM
    reading.hours = 0x80 | 0x12;
    EXPECT_EQ(decoded_seconds(reading), midnight + i64(12) * 3600); // 12 PM, noon
    reading.hours = 0x80 | 0x11;
    EXPECT_EQ(decoded_seconds(reading), midnight + i64(23) * 3600); // 11 PM
    reading.hours = 0x00;                                           // there is no hour 0 on a 12-hour clock
    EXPECT_TRUE(decode_rejects(reading));
    reading.hours = 0x13;
    EXPECT_TRUE(decode_rejects(reading));

    reading = bcd_24_hour(26, 11, 21, 0x80 | 6, 0, 0); // 6 PM, 12-hour binary
    reading.status_b = ktime::RTC_STATUS_B_BINARY;
    EXPECT_EQ(decoded_seconds(reading), midnight + i64(18) * 3600);
}

TEST(RtcDecode, RejectsGarbage)
{
    EXPECT_TRUE(decode_rejects(bcd_24_hour(0x26, 0x1a, 0x21, 0x18, 0x00, 0x00))); // BCD nibble > 9
    EXPECT_TRUE(decode_rejects(bcd_24_hour(0x26, 0x13, 0x21, 0x18, 0x00, 0x00))); // month 13
    EXPECT_TRUE(decode_rejects(bcd_24_hour(0x26, 0x02, 0x29, 0x18, 0x00, 0x00))); // 2026 is not leap
    EXPECT_FALSE(decode_rejects(bcd_24_hour(0x28, 0x02, 0x29, 0x18, 0x00, 0x00)));
    EXPECT_TRUE(decode_rejects(bcd_24_hour(0x26, 0x11, 0x21, 0x24, 0x00, 0x00))); // hour 24
    EXPECT_TRUE(decode_rejects(bcd_24_hour(0x26, 0x11, 0x21, 0x18, 0x60, 0x00)));
    EXPECT_TRUE(decode_rejects(bcd_24_hour(0xff, 0xff, 0xff, 0xff, 0xff, 0xff))); // a floating bus
    EXPECT_TRUE(decode_rejects(bcd_24_hour(0x26, 0x00, 0x00, 0x00, 0x00, 0x00)));
}
