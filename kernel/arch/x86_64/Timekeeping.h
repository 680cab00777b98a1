#pragma once

// Boot-time choice of the clock source and of the periodic tick.
//
// Clock source, in order of preference:
//   1. the invariant TSC, calibrated against the HPET (or the PIT without
//      one): a TSC read costs a few cycles, an HPET read is an uncached MMIO
//      access (a VM exit under virtualization), and invariance makes its rate
//      constant whatever the power state;
//   2. the HPET main counter, exact by construction, when the TSC is not
//      invariant (its rate could change under us);
//   3. the TSC calibrated against PIT channel 2, when there is neither.
// The tick: the local APIC timer in periodic mode, calibrated against that
// clock, at TICK_RATE_HZ; PIT channel 0 on IRQ 0 when the APIC is not in use.
#include <kernel/acpi/Acpi.h>

namespace x86 {

// 4 ms: fine enough for round-robin time slices and timer-wheel sleeps,
// coarse enough that an idle guest under TCG is not kept busy.
inline constexpr u32 TICK_RATE_HZ = 250;

// Picks and installs the clock source (then klog timestamps use it) and
// starts the tick. `acpi` may be null. Panics only if no clock at all works.
void timekeeping_init(const acpi::Info* acpi);

} // namespace x86
