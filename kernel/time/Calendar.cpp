// Calendar arithmetic and RTC decoding; see Calendar.h.
#include <kernel/time/Calendar.h>

namespace ktime {

namespace {

constexpr u8 HOUR_PM_BIT = 0x80;

// A BCD byte as its value; EINVAL if a nibble is not a decimal digit.
ErrorOr<u32> from_bcd(u8 value)
{
    u32 tens = value >> 4;
    u32 ones = value & 0xf;
    if (tens > 9 || ones > 9)
        return Error::from_errno(EINVAL);
    return tens * 10 + ones;
}

ErrorOr<u32> decode_field(u8 value, bool binary)
{
    if (binary)
        return static_cast<u32>(value);
    return from_bcd(value);
}

// Floor division, for days_since_epoch's era arithmetic before year 0.
i64 floor_div(i64 value, i64 divisor)
{
    i64 quotient = value / divisor;
    return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
}

} // namespace

bool is_leap_year(i64 year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

u32 days_in_month(i64 year, u32 month)
{
    constexpr u8 DAYS[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && is_leap_year(year))
        return 29;
    return DAYS[month - 1];
}

// Counts in 400-year eras (146097 days each) of years that start on 1 March,
// so the leap day is the last day of its year and each month's offset is a
// fixed formula.
i64 days_since_epoch(i64 year, u32 month, u32 day)
{
    i64 shifted_year = month <= 2 ? year - 1 : year;
    i64 era = floor_div(shifted_year, 400);
    i64 year_of_era = shifted_year - era * 400;                                     // 0..399
    i64 month_from_march = month > 2 ? month - 3 : month + 9;                       // 0..11
    i64 day_of_year = (153 * month_from_march + 2) / 5 + static_cast<i64>(day) - 1; // 0..365
    i64 day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    constexpr i64 DAYS_FROM_0000_03_01_TO_EPOCH = 719468;
    return era * 146097 + day_of_era - DAYS_FROM_0000_03_01_TO_EPOCH;
}

ErrorOr<i64> to_unix_seconds(const CivilTime& time)
{
    u32 month_days = days_in_month(time.year, time.month);
    if (month_days == 0 || time.day < 1 || time.day > month_days || time.hour > 23 || time.minute > 59
        || time.second > 59)
        return Error::from_errno(EINVAL);
    // Far beyond any clock's reach, and it keeps the multiplication in range.
    if (time.year < -1'000'000 || time.year > 1'000'000)
        return Error::from_errno(EINVAL);
    i64 days = days_since_epoch(time.year, time.month, time.day);
    return days * 86400 + static_cast<i64>(time.hour) * 3600 + static_cast<i64>(time.minute) * 60
        + static_cast<i64>(time.second);
}

ErrorOr<CivilTime> decode_rtc(const RtcReading& reading)
{
    bool binary = reading.status_b & RTC_STATUS_B_BINARY;
    bool twenty_four_hour = reading.status_b & RTC_STATUS_B_24_HOUR;

    CivilTime time {};
    time.second = TRY(decode_field(reading.seconds, binary));
    time.minute = TRY(decode_field(reading.minutes, binary));
    time.day = TRY(decode_field(reading.day, binary));
    time.month = TRY(decode_field(reading.month, binary));
    u32 two_digit_year = TRY(decode_field(reading.year, binary));
    if (two_digit_year > 99)
        return Error::from_errno(EINVAL);

    if (twenty_four_hour) {
        time.hour = TRY(decode_field(reading.hours, binary));
    } else {
        // 12-hour mode: 12 AM is midnight, 12 PM is noon.
        bool pm = reading.hours & HOUR_PM_BIT;
        u32 hour = TRY(decode_field(static_cast<u8>(reading.hours & ~HOUR_PM_BIT), binary));
        if (hour < 1 || hour > 12)
            return Error::from_errno(EINVAL);
        time.hour = (hour % 12) + (pm ? 12 : 0);
    }

    u32 century = 20;
    if (reading.has_century) {
        century = TRY(decode_field(reading.century, binary));
        if (century < 19 || century > 99)
            return Error::from_errno(EINVAL);
    }
    time.year = static_cast<i64>(century) * 100 + two_digit_year;

    TRY(to_unix_seconds(time)); // range check of every field
    return time;
}

} // namespace ktime
