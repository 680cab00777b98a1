#pragma once

// Pure helpers that read the boot memory map for mm::init: where to put the
// frame bitmap before any allocator exists, and which physical ranges are RAM
// (for the direct map). They take the map as the boot loader gave it:
// unsorted, possibly overlapping, with odd alignments.
#include <boot/BootInfo.h>
#include <kernel/lib/Span.h>

namespace mm {

struct PhysicalRange {
    PhysAddr base;
    PhysAddr end; // exclusive
};

// The lowest page-aligned address A with [A, A + size) inside one usable
// entry, within [lowest, limit), touching no non-usable entry and none of
// `avoid`. ENOMEM if there is none, EINVAL for size 0.
ErrorOr<PhysAddr> find_boot_allocation(
    Span<const boot::MemoryRegion> map, u64 size, PhysAddr lowest, PhysAddr limit, Span<const PhysicalRange> avoid);

// RAM (usable, ACPI reclaimable and ACPI NVS entries), widened to whole
// pages, sorted and merged. Writes at most out.size() ranges (out.size() >=
// map.size() always suffices) and returns how many it wrote.
usize collect_ram_ranges(Span<const boot::MemoryRegion> map, Span<PhysicalRange> out);

bool is_ram(boot::MemoryType type);

} // namespace mm
