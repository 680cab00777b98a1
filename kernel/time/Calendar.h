#pragma once

// Calendar arithmetic for the wall clock: a UTC date and time to seconds since
// the Unix epoch (proleptic Gregorian calendar), and the decoding of a CMOS
// real-time-clock reading (BCD or binary, 12- or 24-hour) into such a date.
//
// Portable: the port I/O that produces an RtcReading is in
// kernel/arch/x86_64/Rtc.cpp; everything here runs in host tests.
#include <kernel/lib/Error.h>

namespace ktime {

struct CivilTime {
    i64 year;
    u32 month;  // 1..12
    u32 day;    // 1..days_in_month
    u32 hour;   // 0..23
    u32 minute; // 0..59
    u32 second; // 0..59
};

bool is_leap_year(i64 year);
// 0 for a month outside 1..12.
u32 days_in_month(i64 year, u32 month);
// Days from 1970-01-01 to year-month-day (negative before the epoch). The
// date must be valid.
i64 days_since_epoch(i64 year, u32 month, u32 day);
// Seconds since the epoch; EINVAL for a field out of range.
ErrorOr<i64> to_unix_seconds(const CivilTime& time);

// The MC146818 registers as read, undecoded.
struct RtcReading {
    u8 seconds; // register 0x00
    u8 minutes; // 0x02
    u8 hours;   // 0x04; bit 7 is PM in 12-hour mode
    u8 day;     // 0x07
    u8 month;   // 0x08
    u8 year;    // 0x09, two digits
    u8 century; // the FADT's CENTURY register, if has_century
    bool has_century;
    u8 status_b; // 0x0b: bit 1 = 24-hour mode, bit 2 = binary (not BCD)
};

inline constexpr u8 RTC_STATUS_B_24_HOUR = 1 << 1;
inline constexpr u8 RTC_STATUS_B_BINARY = 1 << 2;

// The reading as a date. Without a century register the year is 20yy.
// EINVAL for a BCD digit above 9, a field out of range, or a century outside
// 19..99 (firmware that does not keep the register).
ErrorOr<CivilTime> decode_rtc(const RtcReading& reading);

} // namespace ktime
