// MADT decoding (ACPI 6.5, 5.2.12) and ISA IRQ routing through its
// interrupt source overrides (5.2.12.5).
//
// The entry list is walked by each entry's own length byte. An entry shorter
// than its header (length 0 would loop forever), shorter than its type's
// fixed layout, or running past the table's end stops the walk and marks the
// MADT malformed; what was decoded before it stays usable. Unknown entry
// types are skipped by their length, as the spec asks.
#include <kernel/acpi/Acpi.h>
#include <kernel/acpi/Structures.h>
#include <kernel/log/Log.h>

namespace acpi {

namespace {

using layout::load;
using layout::MadtEntryType;

constexpr u32 LOCAL_APIC_ENABLED = 1 << 0;
constexpr u32 PCAT_COMPAT = 1 << 0;

Polarity polarity_from_flags(u16 flags)
{
    switch (flags & 3) {
    case 1:
        return Polarity::ActiveHigh;
    case 3:
        return Polarity::ActiveLow;
    default: // 2 is reserved: treat as the bus default
        return Polarity::BusDefault;
    }
}

TriggerMode trigger_from_flags(u16 flags)
{
    switch ((flags >> 2) & 3) {
    case 1:
        return TriggerMode::Edge;
    case 3:
        return TriggerMode::Level;
    default:
        return TriggerMode::BusDefault;
    }
}

usize minimum_entry_length(u8 type)
{
    switch (static_cast<MadtEntryType>(type)) {
    case MadtEntryType::ProcessorLocalApic:
        return sizeof(layout::MadtLocalApic);
    case MadtEntryType::IoApic:
        return sizeof(layout::MadtIoApic);
    case MadtEntryType::InterruptSourceOverride:
        return sizeof(layout::MadtInterruptOverride);
    case MadtEntryType::NmiSource:
        return sizeof(layout::MadtNmiSource);
    case MadtEntryType::LocalApicNmi:
        return sizeof(layout::MadtLocalApicNmi);
    case MadtEntryType::LocalApicAddressOverride:
        return sizeof(layout::MadtLocalApicAddressOverride);
    case MadtEntryType::ProcessorLocalX2Apic:
        return sizeof(layout::MadtLocalX2Apic);
    case MadtEntryType::LocalX2ApicNmi:
        return sizeof(layout::MadtLocalX2ApicNmi);
    }
    return sizeof(layout::MadtEntryHeader);
}

template<typename T, usize N>
T* append(T (&array)[N], usize& count, usize& dropped)
{
    if (count == N) {
        ++dropped;
        return nullptr;
    }
    return &array[count++];
}

void add_processor(Madt& out, u32 apic_id, u32 uid, bool x2apic)
{
    if (auto* cpu = append(out.processors, out.processor_count, out.dropped_entries))
        *cpu = { apic_id, uid, x2apic };
}

void add_local_nmi(Madt& out, u32 uid, u8 lint, u16 flags)
{
    if (auto* nmi = append(out.local_nmis, out.local_nmi_count, out.dropped_entries))
        *nmi = { uid, lint, polarity_from_flags(flags), trigger_from_flags(flags) };
}

void decode_entry(Madt& out, u8 type, const u8* entry)
{
    switch (static_cast<MadtEntryType>(type)) {
    case MadtEntryType::ProcessorLocalApic: {
        auto e = load<layout::MadtLocalApic>(entry);
        if (e.flags & LOCAL_APIC_ENABLED)
            add_processor(out, e.apic_id, e.processor_uid, false);
        else
            ++out.disabled_processor_count;
        break;
    }
    case MadtEntryType::ProcessorLocalX2Apic: {
        auto e = load<layout::MadtLocalX2Apic>(entry);
        if (e.flags & LOCAL_APIC_ENABLED)
            add_processor(out, e.x2apic_id, e.processor_uid, true);
        else
            ++out.disabled_processor_count;
        break;
    }
    case MadtEntryType::IoApic: {
        auto e = load<layout::MadtIoApic>(entry);
        if (auto* io_apic = append(out.io_apics, out.io_apic_count, out.dropped_entries))
            *io_apic = { e.io_apic_id, e.address, e.gsi_base };
        break;
    }
    case MadtEntryType::InterruptSourceOverride: {
        auto e = load<layout::MadtInterruptOverride>(entry);
        if (auto* o = append(out.overrides, out.override_count, out.dropped_entries))
            *o = { e.bus, e.source, e.gsi, polarity_from_flags(e.flags), trigger_from_flags(e.flags) };
        break;
    }
    case MadtEntryType::NmiSource: {
        auto e = load<layout::MadtNmiSource>(entry);
        if (auto* nmi = append(out.nmi_sources, out.nmi_source_count, out.dropped_entries))
            *nmi = { e.gsi, polarity_from_flags(e.flags), trigger_from_flags(e.flags) };
        break;
    }
    case MadtEntryType::LocalApicNmi: {
        auto e = load<layout::MadtLocalApicNmi>(entry);
        u32 uid = e.processor_uid == 0xff ? LocalApicNmi::ALL_PROCESSORS : e.processor_uid;
        add_local_nmi(out, uid, e.lint, e.flags);
        break;
    }
    case MadtEntryType::LocalX2ApicNmi: {
        auto e = load<layout::MadtLocalX2ApicNmi>(entry);
        add_local_nmi(out, e.processor_uid, e.lint, e.flags);
        break;
    }
    case MadtEntryType::LocalApicAddressOverride: {
        auto e = load<layout::MadtLocalApicAddressOverride>(entry);
        out.local_apic_address = e.address;
        break;
    }
    }
}

} // namespace

ErrorOr<void> parse_madt(ReadonlyBytes table, Madt& out)
{
    __builtin_memset(&out, 0, sizeof(out));
    if (table.size() < sizeof(layout::MadtHeader))
        return Error::from_errno(EINVAL);
    auto header = load<layout::MadtHeader>(table.data());
    out.local_apic_address = header.local_apic_address;
    out.pcat_compatible = header.flags & PCAT_COMPAT;

    usize offset = sizeof(layout::MadtHeader);
    while (offset < table.size()) {
        usize remaining = table.size() - offset;
        if (remaining < sizeof(layout::MadtEntryHeader)) {
            out.malformed = true;
            break;
        }
        u8 type = table[offset];
        u8 length = table[offset + 1];
        if (length < sizeof(layout::MadtEntryHeader) || length > remaining || length < minimum_entry_length(type)) {
            klog::warn(
                "acpi: MADT entry type {} at offset {} has bad length {}; ignoring the rest", type, offset, length);
            out.malformed = true;
            break;
        }
        decode_entry(out, type, table.data() + offset);
        offset += length;
    }
    if (out.dropped_entries)
        klog::warn("acpi: MADT has {} entries beyond Osprey's limits; they are ignored", out.dropped_entries);
    return {};
}

IsaRoute route_isa_irq(const Madt& madt, u8 isa_irq)
{
    // ISA interrupts are edge triggered, active high, and identity mapped to
    // GSIs unless an override says otherwise (5.2.12.5).
    IsaRoute route { isa_irq, Polarity::ActiveHigh, TriggerMode::Edge };
    for (usize i = 0; i < madt.override_count; ++i) {
        const InterruptOverride& o = madt.overrides[i];
        if (o.bus != 0 || o.source != isa_irq)
            continue;
        route.gsi = o.gsi;
        if (o.polarity != Polarity::BusDefault)
            route.polarity = o.polarity;
        if (o.trigger != TriggerMode::BusDefault)
            route.trigger = o.trigger;
        break;
    }
    return route;
}

} // namespace acpi
