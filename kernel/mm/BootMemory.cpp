// Boot-time reading of the memory map; see BootMemory.h.
#include <kernel/mm/BootMemory.h>

namespace mm {

namespace {

PhysAddr region_end(const boot::MemoryRegion& region)
{
    PhysAddr end = region.base + region.length;
    return end < region.base ? ~PhysAddr(0) : end;
}

bool overlaps(PhysAddr a_base, PhysAddr a_end, PhysAddr b_base, PhysAddr b_end)
{
    return a_base < b_end && b_base < a_end;
}

} // namespace

bool is_ram(boot::MemoryType type)
{
    return type == boot::MemoryType::Usable || type == boot::MemoryType::AcpiReclaimable
        || type == boot::MemoryType::AcpiNvs;
}

ErrorOr<PhysAddr> find_boot_allocation(
    Span<const boot::MemoryRegion> map, u64 size, PhysAddr lowest, PhysAddr limit, Span<const PhysicalRange> avoid)
{
    if (size == 0)
        return Error::from_errno(EINVAL);
    size = align_up<u64>(size, PAGE_SIZE);
    bool found = false;
    PhysAddr best = 0;
    for (const auto& region : map) {
        if (region.type != boot::MemoryType::Usable)
            continue;
        PhysAddr start = align_up<PhysAddr>(max(region.base, lowest), PAGE_SIZE);
        PhysAddr end = align_down<PhysAddr>(min(region_end(region), limit), PAGE_SIZE);
        PhysAddr candidate = start;
        while (candidate < end && size <= end - candidate) {
            PhysAddr candidate_end = candidate + size;
            // Move past the first obstacle, if any, and look again.
            PhysAddr skip_to = 0;
            for (const auto& other : map) {
                if (other.type != boot::MemoryType::Usable
                    && overlaps(candidate, candidate_end, other.base, region_end(other)))
                    skip_to = max(skip_to, region_end(other));
            }
            for (const auto& range : avoid) {
                if (overlaps(candidate, candidate_end, range.base, range.end))
                    skip_to = max(skip_to, range.end);
            }
            if (!skip_to) {
                if (!found || candidate < best)
                    best = candidate;
                found = true;
                break;
            }
            PhysAddr next = align_up<PhysAddr>(skip_to, PAGE_SIZE);
            if (next <= candidate) // skip_to was near 2^64
                break;
            candidate = next;
        }
    }
    if (!found)
        return Error::from_errno(ENOMEM);
    return best;
}

usize collect_ram_ranges(Span<const boot::MemoryRegion> map, Span<PhysicalRange> out)
{
    usize count = 0;
    for (const auto& region : map) {
        if (!is_ram(region.type) || region.length == 0 || count == out.size())
            continue;
        PhysAddr base = align_down<PhysAddr>(region.base, PAGE_SIZE);
        PhysAddr end = region_end(region);
        end = end > ~PhysAddr(0) - PAGE_SIZE ? align_down<PhysAddr>(end, PAGE_SIZE)
                                             : align_up<PhysAddr>(end, PAGE_SIZE);
        if (end <= base)
            continue;
        // Insertion sort by base: the map has at most a few hundred entries.
        usize i = count++;
        while (i > 0 && out[i - 1].base > base) {
            out[i] = out[i - 1];
            --i;
        }
        out[i] = { base, end };
    }
    usize merged = 0;
    for (usize i = 0; i < count; ++i) {
        if (merged > 0 && out[i].base <= out[merged - 1].end)
            out[merged - 1].end = max(out[merged - 1].end, out[i].end);
        else
            out[merged++] = out[i];
    }
    return merged;
}

} // namespace mm
