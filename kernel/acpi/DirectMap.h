#pragma once

// The kernel's PhysicalMemory for the ACPI parser: tables are read through
// the direct map, which covers at least the first 4 GiB from boot on (where
// firmware puts ACPI tables on PCs and QEMU). Anything beyond is refused.
#include <kernel/acpi/Acpi.h>
#include <kernel/mm/Layout.h>

namespace acpi {

class DirectMapMemory final : public PhysicalMemory {
public:
    const u8* map(PhysAddr address, usize length) override
    {
        if (address >= mm::EARLY_DIRECT_MAP_LIMIT || length > mm::EARLY_DIRECT_MAP_LIMIT - address)
            return nullptr;
        return mm::phys_to_virt<const u8>(address);
    }
};

} // namespace acpi
