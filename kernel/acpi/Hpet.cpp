// HPET description table decoding (IA-PC HPET specification 1.0a, 3.2.4).
// Only a timer block in system memory is usable: one described in I/O space
// (address space 1) is refused with EOPNOTSUPP.
#include <kernel/acpi/Acpi.h>
#include <kernel/acpi/Structures.h>

namespace acpi {

ErrorOr<void> parse_hpet(ReadonlyBytes table, Hpet& out)
{
    out = {};
    if (table.size() < sizeof(layout::HpetTable))
        return Error::from_errno(EINVAL);
    auto hpet = layout::load<layout::HpetTable>(table.data());
    constexpr u8 SYSTEM_MEMORY = 0;
    if (hpet.base_address.address_space != SYSTEM_MEMORY)
        return Error::from_errno(EOPNOTSUPP);
    if (hpet.base_address.address == 0)
        return Error::from_errno(EINVAL);

    u32 id = hpet.event_timer_block_id;
    out.base = hpet.base_address.address;
    out.comparator_count = static_cast<u8>(((id >> 8) & 0x1f) + 1);
    out.counter_64bit = id & (1 << 13);
    out.legacy_replacement_capable = id & (1 << 15);
    out.pci_vendor_id = static_cast<u16>(id >> 16);
    out.hpet_number = hpet.hpet_number;
    out.minimum_tick = hpet.minimum_clock_tick;
    return {};
}

} // namespace acpi
