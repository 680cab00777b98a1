// The user region map; see RegionMap.h. Operations reserve the vector slots
// they may need before changing anything, so after the reservation nothing
// can fail halfway: each operation either happens completely or not at all.
#include <kernel/user/RegionMap.h>

namespace user {

namespace {

// Whether `b`, starting where `a` ends, can join it.
bool can_merge(const Region& a, const Region& b)
{
    if (a.kind != b.kind || a.protection != b.protection || a.file != b.file || a.file_writable != b.file_writable)
        return false;
    return !a.is_file() || a.offset_of(a.end) == b.file_offset;
}

bool valid_range(VirtAddr base, VirtAddr end)
{
    return base < end && is_aligned<u64>(base, PAGE_SIZE) && is_aligned<u64>(end, PAGE_SIZE);
}

} // namespace

usize RegionMap::first_ending_above(VirtAddr address) const
{
    usize low = 0;
    usize high = m_regions.size();
    while (low < high) {
        usize middle = low + (high - low) / 2;
        if (m_regions[middle].end > address)
            high = middle;
        else
            low = middle + 1;
    }
    return low;
}

const Region* RegionMap::find(VirtAddr address) const
{
    usize index = first_ending_above(address);
    if (index < m_regions.size() && m_regions[index].base <= address)
        return &m_regions[index];
    return nullptr;
}

bool RegionMap::is_free(VirtAddr base, VirtAddr end) const
{
    usize index = first_ending_above(base);
    return index == m_regions.size() || m_regions[index].base >= end;
}

bool RegionMap::is_covered(VirtAddr base, VirtAddr end) const
{
    VirtAddr cursor = base;
    for (usize index = first_ending_above(base); cursor < end; ++index) {
        if (index == m_regions.size() || m_regions[index].base > cursor)
            return false;
        cursor = m_regions[index].end;
    }
    return true;
}

ErrorOr<VirtAddr> RegionMap::find_free(u64 length, VirtAddr lowest, VirtAddr highest) const
{
    if (length == 0 || !is_aligned<u64>(length, PAGE_SIZE))
        return Error::from_errno(EINVAL);
    auto fits = [&](VirtAddr low, VirtAddr high) {
        low = max(low, lowest);
        return high > low && high - low >= length;
    };
    VirtAddr gap_end = highest;
    for (usize index = m_regions.size(); index-- > 0 && gap_end > lowest;) {
        const Region& region = m_regions[index];
        if (region.base >= gap_end)
            continue;
        if (fits(region.end, gap_end))
            return gap_end - length;
        gap_end = region.base;
    }
    if (fits(lowest, gap_end))
        return gap_end - length;
    return Error::from_errno(ENOMEM);
}

ErrorOr<void> RegionMap::reserve_slots(usize extra)
{
    if (m_regions.size() + extra > MAX_REGIONS)
        return Error::from_errno(ENOMEM);
    return m_regions.try_ensure_capacity(m_regions.size() + extra);
}

ErrorOr<void> RegionMap::insert(const Region& region)
{
    if (!valid_range(region.base, region.end))
        return Error::from_errno(EINVAL);
    if (!is_free(region.base, region.end))
        return Error::from_errno(EEXIST);
    TRY(reserve_slots(1));
    usize index = first_ending_above(region.base);
    TRY(m_regions.try_insert(index, region));
    merge_around(index, index);
    return {};
}

void RegionMap::split_at(VirtAddr address)
{
    usize index = first_ending_above(address);
    if (index == m_regions.size() || m_regions[index].base >= address)
        return;
    Region upper = m_regions[index];
    upper.base = address;
    upper.file_offset = m_regions[index].offset_of(address);
    m_regions[index].end = address;
    // A slot was reserved, so this does not allocate and cannot fail.
    m_regions.unchecked_append(upper);
    for (usize i = m_regions.size() - 1; i > index + 1; --i) {
        Region moved = m_regions[i - 1];
        m_regions[i - 1] = m_regions[i];
        m_regions[i] = moved;
    }
}

ErrorOr<void> RegionMap::remove(VirtAddr base, VirtAddr end)
{
    if (!valid_range(base, end))
        return Error::from_errno(EINVAL);
    // Cutting a hole in one region splits it twice before the middle goes.
    TRY(reserve_slots(splits_at(base) + splits_at(end)));
    split_at(base);
    split_at(end);
    m_regions.remove_all_matching([&](const Region& region) { return region.base >= base && region.end <= end; });
    return {};
}

usize RegionMap::splits_at(VirtAddr address) const
{
    const Region* region = find(address);
    return region && region->base < address ? 1 : 0;
}

void RegionMap::merge_around(usize first, usize last)
{
    if (m_regions.size() < 2)
        return;
    first = first > 0 ? first - 1 : 0;
    last = min(last + 1, m_regions.size() - 1);
    usize write = first;
    for (usize read = first + 1; read <= last; ++read) {
        Region& kept = m_regions[write];
        if (kept.end == m_regions[read].base && can_merge(kept, m_regions[read]))
            kept.end = m_regions[read].end;
        else
            m_regions[++write] = m_regions[read];
    }
    usize removed = last - write;
    if (removed == 0)
        return;
    for (usize read = last + 1; read < m_regions.size(); ++read)
        m_regions[read - removed] = m_regions[read];
    while (removed-- > 0)
        m_regions.take_last();
}

} // namespace user
