#pragma once

// The HPET main counter as a clock source (IA-PC HPET specification 1.0a).
#include <kernel/acpi/Acpi.h>
#include <kernel/time/Clock.h>

namespace x86 {

// Maps the timer block the ACPI HPET table describes, checks its period,
// turns off legacy replacement and every comparator's interrupt, and starts
// the main counter. EINVAL for an impossible period (0 or above 100 ns).
ErrorOr<ktime::ClockSource*> hpet_init(const acpi::Hpet& table);

} // namespace x86
