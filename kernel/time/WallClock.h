#pragma once

// The wall clock (CLOCK_REALTIME): the monotonic clock plus an offset, set at
// boot from the RTC and later by clock_settime/settimeofday. Until it is set
// it counts from the Unix epoch at the moment the monotonic clock started.
//
// Setting it moves only CLOCK_REALTIME: monotonic deadlines (sleeps, timeouts)
// are unaffected, as on Linux.
#include <kernel/lib/Types.h>

namespace ktime {

// Nanoseconds since the Unix epoch, never negative.
u64 realtime_ns();
// Makes realtime_ns() read `unix_ns` now (at most INT64_MAX).
void set_realtime_ns(u64 unix_ns);
// The monotonic time at which the wall clock, as set now, reads `unix_ns`
// (for absolute CLOCK_REALTIME sleeps): 0 if that is before the monotonic
// clock started, ~0 - 1 if beyond its range.
u64 realtime_to_monotonic_ns(u64 unix_ns);

} // namespace ktime
