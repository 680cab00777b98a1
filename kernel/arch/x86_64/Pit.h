#pragma once

// The 8254 programmable interval timer: channel 2 as a calibration
// stopwatch, and channel 0 as a periodic tick where no local APIC timer can
// be used.
#include <kernel/lib/Error.h>

namespace x86 {

inline constexpr u64 PIT_FREQUENCY_HZ = 1'193'182;

// Channel 2 as a stopwatch: started with the gate open, it counts down from
// 0xffff at PIT_FREQUENCY_HZ (wrapping after 54.9 ms); the count is read
// through a latch command, so both bytes belong to the same instant.
void pit_channel2_start();
u16 pit_channel2_count();

// Channel 0 as a rate generator at `hz` on ISA IRQ 0 (registered as "timer",
// advancing ktime::tick).
ErrorOr<void> pit_start_periodic_tick(u32 hz);

} // namespace x86
