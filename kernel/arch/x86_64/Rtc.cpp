// Reading the CMOS RTC; see Rtc.h. Decoding is portable (kernel/time/Calendar.h).
#include <kernel/arch/x86_64/Io.h>
#include <kernel/arch/x86_64/Rtc.h>
#include <kernel/log/Log.h>
#include <kernel/time/Calendar.h>
#include <kernel/time/Clock.h>
#include <kernel/time/WallClock.h>

namespace x86 {

namespace {

constexpr u16 CMOS_INDEX_PORT = 0x70;
constexpr u16 CMOS_DATA_PORT = 0x71;

constexpr u8 REGISTER_SECONDS = 0x00;
constexpr u8 REGISTER_MINUTES = 0x02;
constexpr u8 REGISTER_HOURS = 0x04;
constexpr u8 REGISTER_DAY = 0x07;
constexpr u8 REGISTER_MONTH = 0x08;
constexpr u8 REGISTER_YEAR = 0x09;
constexpr u8 REGISTER_STATUS_A = 0x0a;
constexpr u8 REGISTER_STATUS_B = 0x0b;
// The standard CMOS bank has 128 registers; bit 7 of the index masks NMIs.
constexpr u8 REGISTER_LIMIT = 0x80;

constexpr u8 STATUS_A_UPDATE_IN_PROGRESS = 0x80;
// An update cycle lasts under 2 ms; give up well after that.
constexpr u64 UPDATE_WAIT_LIMIT_NS = 20'000'000;
constexpr int MAX_READ_ATTEMPTS = 8;

u8 read_register(u8 index)
{
    outb(CMOS_INDEX_PORT, index);
    return inb(CMOS_DATA_PORT);
}

// False if the clock stayed in an update cycle for too long.
bool wait_until_not_updating()
{
    u64 give_up = ktime::monotonic_ns() + UPDATE_WAIT_LIMIT_NS;
    while (read_register(REGISTER_STATUS_A) & STATUS_A_UPDATE_IN_PROGRESS) {
        if (ktime::monotonic_ns() > give_up)
            return false;
    }
    return true;
}

ktime::RtcReading read_once(u8 century_register)
{
    ktime::RtcReading reading {};
    reading.seconds = read_register(REGISTER_SECONDS);
    reading.minutes = read_register(REGISTER_MINUTES);
    reading.hours = read_register(REGISTER_HOURS);
    reading.day = read_register(REGISTER_DAY);
    reading.month = read_register(REGISTER_MONTH);
    reading.year = read_register(REGISTER_YEAR);
    reading.has_century = century_register != 0;
    if (reading.has_century)
        reading.century = read_register(century_register);
    reading.status_b = read_register(REGISTER_STATUS_B);
    return reading;
}

bool same(const ktime::RtcReading& a, const ktime::RtcReading& b)
{
    return a.seconds == b.seconds && a.minutes == b.minutes && a.hours == b.hours && a.day == b.day
        && a.month == b.month && a.year == b.year && a.century == b.century && a.status_b == b.status_b;
}

// Two equal readings in a row, each begun outside an update cycle, so no
// field was caught half-way through a carry (23:59:59 -> 00:00:00).
ErrorOr<ktime::RtcReading> read_stable(u8 century_register)
{
    if (!wait_until_not_updating())
        return Error::from_errno(ETIMEDOUT);
    ktime::RtcReading previous = read_once(century_register);
    for (int attempt = 0; attempt < MAX_READ_ATTEMPTS; ++attempt) {
        if (!wait_until_not_updating())
            return Error::from_errno(ETIMEDOUT);
        ktime::RtcReading current = read_once(century_register);
        if (same(previous, current))
            return current;
        previous = current;
    }
    return Error::from_errno(EAGAIN);
}

} // namespace

void rtc_set_wall_clock(const acpi::Info* acpi)
{
    u8 century_register = acpi ? acpi->rtc_century_register : 0;
    if (century_register >= REGISTER_LIMIT || (century_register != 0 && century_register <= REGISTER_STATUS_B)) {
        klog::warn("rtc: ignoring the FADT's century register {:#x}", century_register);
        century_register = 0;
    }
    auto reading = read_stable(century_register);
    if (reading.is_error()) {
        klog::warn("rtc: no stable reading ({}); the wall clock starts at the epoch", reading.error());
        return;
    }
    auto time = ktime::decode_rtc(reading.value());
    if (time.is_error()) {
        klog::warn("rtc: the clock holds no valid date; the wall clock starts at the epoch");
        return;
    }
    i64 seconds = MUST(ktime::to_unix_seconds(time.value()));
    if (seconds < 0) {
        klog::warn("rtc: the date is before 1970; the wall clock starts at the epoch");
        return;
    }
    ktime::set_realtime_ns(static_cast<u64>(seconds) * ktime::NS_PER_SECOND);
    const ktime::CivilTime& civil = time.value();
    klog::info("rtc: {:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC{}", civil.year, civil.month, civil.day, civil.hour,
        civil.minute, civil.second, century_register ? " (century from the FADT)" : "");
}

} // namespace x86
