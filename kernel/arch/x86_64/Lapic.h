#pragma once

// The local APIC in xAPIC mode (Intel SDM vol. 3A, chapter 11 "Advanced
// Programmable Interrupt Controller"): enabling it, end of interrupt, and its
// timer, which Osprey calibrates against the monotonic clock and runs as the
// periodic tick.
#include <kernel/acpi/Acpi.h>
#include <kernel/lib/Error.h>

namespace x86 {

// Vector priority classes are vector / 16 (SDM 11.8.3): the timer and the
// APIC's own error and spurious vectors sit in the top classes.
inline constexpr u8 LAPIC_TIMER_VECTOR = 0xf0;
inline constexpr u8 LAPIC_ERROR_VECTOR = 0xfe;

// Enables this CPU's local APIC: xAPIC mode at `madt.local_apic_address`
// through IA32_APIC_BASE, every LVT entry masked except LINT1 (or LINT0)
// programmed as NMI where the MADT says so, task priority 0, error vector,
// and software-enabled with the spurious vector 0xff. EOPNOTSUPP without an
// APIC or when firmware left it in x2APIC mode.
ErrorOr<void> lapic_init(const acpi::Madt& madt);
bool lapic_enabled();
u32 lapic_id();
void lapic_eoi();

// The timer counts down at the APIC timer clock divided by 16.
// lapic_timer_calibrate measures that rate in Hz against ktime over 20 ms
// (median of three runs); lapic_timer_start_periodic registers the "timer"
// handler (advancing ktime::tick) and starts it at `hz` on LAPIC_TIMER_VECTOR.
ErrorOr<u64> lapic_timer_calibrate();
ErrorOr<void> lapic_timer_start_periodic(u64 timer_hz, u32 hz);

} // namespace x86
