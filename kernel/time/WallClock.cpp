// The wall clock as an offset over the monotonic clock; see WallClock.h.
#include <kernel/lib/Atomic.h>
#include <kernel/time/Clock.h>
#include <kernel/time/WallClock.h>

namespace ktime {

namespace {

// realtime - monotonic, in one word so a reader never sees half of an update.
// Signed: a time set earlier than the machine's uptime makes it negative.
constinit Atomic<i64> s_offset_ns { 0 };

} // namespace

u64 realtime_ns()
{
    i64 now = static_cast<i64>(monotonic_ns()) + s_offset_ns.load(MemoryOrder::Relaxed);
    return now < 0 ? 0 : static_cast<u64>(now);
}

void set_realtime_ns(u64 unix_ns)
{
    // Both terms are below 2^63, so the difference fits.
    s_offset_ns.store(static_cast<i64>(unix_ns) - static_cast<i64>(monotonic_ns()), MemoryOrder::Relaxed);
}

u64 realtime_to_monotonic_ns(u64 unix_ns)
{
    constexpr u64 FAR_FUTURE = ~u64(0) - 1;
    constexpr u64 I64_MAX = ~u64(0) >> 1;
    if (unix_ns > I64_MAX)
        return FAR_FUTURE;
    i64 monotonic;
    if (__builtin_sub_overflow(static_cast<i64>(unix_ns), s_offset_ns.load(MemoryOrder::Relaxed), &monotonic))
        return FAR_FUTURE; // only a negative offset can overflow, and then upward
    return monotonic < 0 ? 0 : static_cast<u64>(monotonic);
}

} // namespace ktime
