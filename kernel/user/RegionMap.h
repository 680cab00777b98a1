#pragma once

// The regions of a user address space: which ranges are in use, for what,
// with which access rights. The page tables hold the mappings; the region map
// is what mmap, munmap, mprotect and brk consult to find room and to know what
// a range is, including ranges reserved without pages (guard gaps, PROT_NONE,
// the part of the stack not mapped yet).
//
// Invariants: regions are sorted by address, page aligned, non-empty, never
// overlap, and neighbours that touch with the same kind and protection (and,
// for file mappings, the same file at contiguous offsets) are merged.
// File-mapping regions hold a reference to their vnode; splitting one keeps
// each part's file offset right. At most MAX_REGIONS exist (Linux's max_map_count plays this role);
// an operation that would exceed it fails with ENOMEM and changes nothing.
//
// Portable and unit-tested. No locking: the owner (UserMemory) serializes.
#include <fs/vfs/FileSystem.h>
#include <fs/vfs/Vnode.h>
#include <kernel/lib/Vector.h>
#include <kernel/user/Protection.h>

namespace user {

enum class RegionKind : u8 {
    Image,       // PT_LOAD segments of the program
    Heap,        // the brk area
    Stack,       // the user stack (mapped part and reserved part)
    Anonymous,   // mmap(MAP_ANONYMOUS)
    Guard,       // never mapped: keeps other mappings away from the stack
    FileShared,  // mmap(MAP_SHARED) of a file: stores reach the file
    FilePrivate, // mmap(MAP_PRIVATE) of a file: copy-on-write over it
};

struct Region {
    Region() = default;
    Region(VirtAddr base_address, VirtAddr end_address, Protection rights, RegionKind region_kind)
        : base(base_address)
        , end(end_address)
        , protection(rights)
        , kind(region_kind)
    {
    }

    VirtAddr base { 0 };
    VirtAddr end { 0 }; // exclusive
    Protection protection { Protection::None };
    RegionKind kind { RegionKind::Anonymous };
    // The file's filesystem, kept alive as long as its vnode is (a mapping
    // does not keep its mount busy, so the filesystem may be unmounted
    // first). Declared before `file` so that it goes after it.
    RefPtr<fs::FileSystem> file_system;
    RefPtr<fs::Vnode> file;       // File* kinds only
    u64 file_offset { 0 };        // the file offset mapped at `base`
    bool file_writable { false }; // the file was open for writing (mprotect's PROT_WRITE check)

    bool is_file() const { return kind == RegionKind::FileShared || kind == RegionKind::FilePrivate; }
    // The file offset of `address` inside this region.
    u64 offset_of(VirtAddr address) const { return file_offset + (address - base); }
};

class RegionMap {
public:
    static constexpr usize MAX_REGIONS = 4096;

    Span<const Region> regions() const { return m_regions.span(); }
    // The region holding `address`, or null.
    const Region* find(VirtAddr address) const;
    bool is_free(VirtAddr base, VirtAddr end) const;
    // Every page of [base, end) belongs to some region.
    bool is_covered(VirtAddr base, VirtAddr end) const;

    // The highest `length` bytes of free space inside [lowest, highest)
    // (top down, as Linux's mmap). ENOMEM if there is none.
    ErrorOr<VirtAddr> find_free(u64 length, VirtAddr lowest, VirtAddr highest) const;

    // Adds a region over free space (EEXIST otherwise; EINVAL for an empty
    // or misaligned one).
    ErrorOr<void> insert(const Region& region);
    // Takes [base, end) out of every region it touches, splitting at the
    // edges. Free parts of the range are skipped.
    ErrorOr<void> remove(VirtAddr base, VirtAddr end);
    // Sets the protection of [base, end), which must be covered (ENOMEM
    // otherwise, as mprotect), splitting at the edges. Before each region
    // part changes, change(part_base, part_end, old_protection) runs (the
    // page-table work); if it fails, the parts before keep the new
    // protection, the rest the old one, and its error is returned.
    template<typename Change>
    ErrorOr<void> protect(VirtAddr base, VirtAddr end, Protection protection, Change change);
    ErrorOr<void> protect(VirtAddr base, VirtAddr end, Protection protection)
    {
        return protect(base, end, protection, [](VirtAddr, VirtAddr, Protection) -> ErrorOr<void> { return {}; });
    }
    // Forgets every region.
    void clear() { m_regions.clear(); }

private:
    // Index of the first region whose end is above `address` (size() if none).
    usize first_ending_above(VirtAddr address) const;
    // Splits the region holding `address` in two at `address`, if it holds it
    // strictly inside. Needs one free slot (callers reserve first).
    void split_at(VirtAddr address);
    // Regions a split at `address` would add: 1 if a region holds it strictly inside.
    usize splits_at(VirtAddr address) const;
    // Merges touching equal neighbours among the regions at indices
    // [first - 1, last + 1], the only ones an operation there can affect.
    void merge_around(usize first, usize last);
    ErrorOr<void> reserve_slots(usize extra);

    Vector<Region, 8> m_regions;
};

template<typename Change>
ErrorOr<void> RegionMap::protect(VirtAddr base, VirtAddr end, Protection protection, Change change)
{
    if (base >= end || !is_aligned<u64>(base, PAGE_SIZE) || !is_aligned<u64>(end, PAGE_SIZE))
        return Error::from_errno(EINVAL);
    if (!is_covered(base, end))
        return Error::from_errno(ENOMEM);
    // After the reservation nothing here allocates.
    TRY(reserve_slots(splits_at(base) + splits_at(end)));
    split_at(base);
    split_at(end);
    ErrorOr<void> result;
    usize first = first_ending_above(base);
    usize index = first;
    for (; index < m_regions.size() && m_regions[index].base < end; ++index) {
        Region& region = m_regions[index];
        if (region.protection == protection)
            continue;
        result = change(region.base, region.end, region.protection);
        if (result.is_error())
            break;
        region.protection = protection;
    }
    merge_around(first, index);
    return result;
}

} // namespace user
