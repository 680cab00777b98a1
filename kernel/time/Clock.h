#pragma once

// The kernel's clock: a monotonic nanosecond count derived from one hardware
// counter (a ClockSource: the invariant TSC, the HPET main counter, ...), and
// the periodic tick count that the timer interrupt advances.
//
// monotonic_ns() starts at 0 when the first source is installed during boot
// and never goes backward: a switch of source continues from the current
// value, and each reading is clamped to the largest one handed out so far
// (so a counter read slightly out of order cannot step it back).
//
// Readers take no lock: the conversion state is published through a
// sequence counter that set_source bumps, so any context, including
// interrupt handlers and klog, may read the clock.
//
// The namespace is ktime, not time: a namespace named time collides with the
// C library's time() in the host unit tests.
#include <kernel/lib/Error.h>
#include <kernel/lib/StringView.h>

namespace ktime {

inline constexpr u64 NS_PER_SECOND = 1'000'000'000;

// A free-running hardware counter, read as a 64-bit value that only grows
// (a source with a narrower counter extends it, see WrapExtender.h).
class ClockSource {
public:
    virtual StringView name() const = 0;
    virtual u64 read() = 0;
    virtual u64 frequency_hz() const = 0;

protected:
    ~ClockSource() = default;
};

// Makes `source` the clock from now on (EINVAL if its frequency is 0 or
// above 10 GHz). The source must outlive the kernel.
ErrorOr<void> set_source(ClockSource& source);
// The current source, or nullptr before set_source.
ClockSource* source();

// Nanoseconds since the clock was first set up; 0 before that.
u64 monotonic_ns();
// Nanoseconds since boot (the clock is set up early in boot; what ran before
// it is not counted).
u64 uptime_ns();
// Spins until `ns` nanoseconds have passed. Only for early boot and
// calibration: everything else sleeps on a timer. Returns at once without a source.
void sleep_busy_ns(u64 ns);

// The periodic tick, advanced by the timer interrupt.
void tick();
u64 ticks();
// The rate the timer interrupt was programmed at (0 until it runs).
void set_tick_rate(u32 hz);
u32 tick_rate_hz();

// Forgets the source, the tick count and the clamp (host tests only).
void reset_for_testing();

} // namespace ktime
