#pragma once

// The time-stamp counter (Intel SDM vol. 3B, 18.17): readable in a few
// cycles, so the preferred clock source when it is invariant (runs at a
// constant rate in every P-, C- and T-state: CPUID 0x80000007 EDX bit 8).
// Its rate is not architecturally known, so it is calibrated.
#include <kernel/time/Clock.h>

namespace x86 {

bool tsc_invariant();

// TSC ticks per second, measured over 20 ms against `reference` (median of
// three runs; interrupts are off while measuring). EIO if it looks wrong.
ErrorOr<u64> tsc_calibrate(ktime::ClockSource& reference);
// The same against PIT channel 2 over 40 ms (for machines without an HPET).
ErrorOr<u64> tsc_calibrate_with_pit();

// The TSC as a clock source running at `frequency` Hz.
ktime::ClockSource& tsc_clock(u64 frequency);

} // namespace x86
