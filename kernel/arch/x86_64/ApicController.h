#pragma once

// The local APIC + I/O APIC pair as Osprey's interrupt controller: ISA IRQs
// are mapped through the MADT's interrupt source overrides to a GSI, the
// I/O APIC owning that GSI sends it to the boot CPU, and end of interrupt
// goes to the local APIC.
#include <kernel/acpi/Acpi.h>
#include <kernel/irq/Irq.h>

namespace x86 {

// Enables the local APIC, maps and masks every I/O APIC, then switches
// irq:: to this controller (which re-routes ISA IRQs already registered and
// leaves the 8259 fully masked). On error nothing was switched and the
// caller stays on the 8259.
ErrorOr<void> apic_init(const acpi::Madt& madt);
bool apic_active();

// Boot policy: the APICs when the MADT describes them and they work, else
// the 8259 stays (logged either way). `acpi` may be null.
void interrupt_controller_init(const acpi::Info* acpi);

} // namespace x86
