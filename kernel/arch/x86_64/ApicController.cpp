// The APIC interrupt controller. ISA IRQ n keeps vector ISA_VECTOR_BASE + n
// (so drivers see the same vectors as under the 8259), but arrives on the
// GSI the MADT names, with that override's polarity and trigger mode
// (ACPI 6.5, 5.2.12.5). Every routed interrupt goes to the boot CPU.
//
// The I/O APIC table is filled once by apic_init, before the controller is
// made active, and is read-only afterwards; each chip serializes its own
// register accesses.
#include <kernel/arch/x86_64/ApicController.h>
#include <kernel/arch/x86_64/IoApic.h>
#include <kernel/arch/x86_64/Lapic.h>
#include <kernel/log/Log.h>
#include <kernel/mm/Layout.h>

namespace x86 {

namespace {

constinit IoApic s_io_apics[acpi::Madt::MAX_IOAPICS] {};
usize s_io_apic_count = 0;
const acpi::Madt* s_madt = nullptr;
u8 s_destination = 0; // the boot CPU's APIC ID
bool s_active = false;

IoApic* io_apic_for(u32 gsi)
{
    for (usize i = 0; i < s_io_apic_count; ++i) {
        IoApic& chip = s_io_apics[i];
        if (gsi >= chip.gsi_base() && gsi - chip.gsi_base() < chip.pin_count())
            return &chip;
    }
    return nullptr;
}

StringView trigger_name(acpi::TriggerMode trigger)
{
    return trigger == acpi::TriggerMode::Level ? "level" : "edge";
}

StringView polarity_name(acpi::Polarity polarity)
{
    return polarity == acpi::Polarity::ActiveLow ? "active low" : "active high";
}

class ApicController final : public irq::Controller {
public:
    StringView name() const override { return "local APIC + I/O APIC"; }

    ErrorOr<void> enable_isa_irq(u8 isa_irq, u8 vector) override
    {
        if (isa_irq >= irq::ISA_IRQ_COUNT)
            return Error::from_errno(EINVAL);
        acpi::IsaRoute route = acpi::route_isa_irq(*s_madt, isa_irq);
        IoApic* chip = io_apic_for(route.gsi);
        if (!chip)
            return Error::from_errno(ENODEV);
        chip->route(route.gsi - chip->gsi_base(), vector, route.polarity, route.trigger, s_destination);
        klog::info("irq: ISA IRQ {} -> GSI {} ({}, {}) -> vector {} on APIC {}", isa_irq, route.gsi,
            trigger_name(route.trigger), polarity_name(route.polarity), vector, s_destination);
        return {};
    }

    void disable_isa_irq(u8 isa_irq) override
    {
        if (isa_irq >= irq::ISA_IRQ_COUNT)
            return;
        acpi::IsaRoute route = acpi::route_isa_irq(*s_madt, isa_irq);
        if (IoApic* chip = io_apic_for(route.gsi))
            chip->mask(route.gsi - chip->gsi_base());
    }

    void end_of_interrupt(u8) override { lapic_eoi(); }
};

constinit ApicController s_controller;

} // namespace

ErrorOr<void> apic_init(const acpi::Madt& madt)
{
    // Everything that can fail is checked before the local APIC is enabled:
    // once it is, the 8259 (wired to its LINT0, which lapic_init masks) is cut off.
    usize reachable = 0;
    for (usize i = 0; i < madt.io_apic_count; ++i) {
        PhysAddr address = madt.io_apics[i].address;
        if (address != 0 && address < mm::EARLY_DIRECT_MAP_LIMIT)
            ++reachable;
        else
            klog::warn("irq: I/O APIC {} at {:#x} is out of reach; ignored", madt.io_apics[i].id, address);
    }
    if (reachable == 0)
        return Error::from_errno(ENODEV);
    TRY(lapic_init(madt));
    u32 apic_id = lapic_id();

    s_madt = &madt;
    s_destination = static_cast<u8>(apic_id); // xAPIC IDs are 8 bits
    s_io_apic_count = 0;
    for (usize i = 0; i < madt.io_apic_count; ++i) {
        const acpi::IoApic& entry = madt.io_apics[i];
        if (entry.address == 0 || entry.address >= mm::EARLY_DIRECT_MAP_LIMIT)
            continue;
        IoApic& chip = s_io_apics[s_io_apic_count++];
        chip.init(entry.id, entry.address, entry.gsi_base);
        klog::info("irq: I/O APIC {} at {:#x}: GSIs {}-{}", entry.id, entry.address, chip.gsi_base(),
            chip.gsi_base() + chip.pin_count() - 1);
    }

    klog::info(
        "irq: local APIC {} at {:#x}, {} CPU(s) in the MADT", apic_id, madt.local_apic_address, madt.processor_count);
    irq::set_controller(s_controller);
    s_active = true;
    return {};
}

bool apic_active()
{
    return s_active;
}

void interrupt_controller_init(const acpi::Info* acpi)
{
    if (!acpi || !acpi->has_madt) {
        klog::warn("irq: no MADT; staying on the 8259 PIC");
        return;
    }
    auto result = apic_init(acpi->madt);
    if (result.is_error())
        klog::warn("irq: APIC setup failed ({}); staying on the 8259 PIC", result.error());
}

} // namespace x86
