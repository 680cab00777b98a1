// MCFG decoding (PCI Firmware Specification 3.2, 4.1.2): one allocation per
// PCI segment group, giving the ECAM base and the bus range it decodes.
// Allocations with an inverted bus range are skipped.
#include <kernel/acpi/Acpi.h>
#include <kernel/acpi/Structures.h>
#include <kernel/log/Log.h>

namespace acpi {

ErrorOr<void> parse_mcfg(ReadonlyBytes table, Mcfg& out)
{
    __builtin_memset(&out, 0, sizeof(out));
    if (table.size() < sizeof(layout::McfgHeader))
        return Error::from_errno(EINVAL);
    usize count = (table.size() - sizeof(layout::McfgHeader)) / sizeof(layout::McfgAllocation);
    for (usize i = 0; i < count; ++i) {
        const u8* entry = table.data() + sizeof(layout::McfgHeader) + i * sizeof(layout::McfgAllocation);
        auto allocation = layout::load<layout::McfgAllocation>(entry);
        if (allocation.end_bus < allocation.start_bus || allocation.base_address == 0) {
            klog::warn("acpi: MCFG allocation {} (segment {}, buses {}-{}) is invalid; skipped", i,
                allocation.segment_group, allocation.start_bus, allocation.end_bus);
            continue;
        }
        if (out.segment_count == Mcfg::MAX_SEGMENTS) {
            ++out.dropped_segments;
            continue;
        }
        out.segments[out.segment_count++]
            = { allocation.base_address, allocation.segment_group, allocation.start_bus, allocation.end_bus };
    }
    return {};
}

} // namespace acpi
