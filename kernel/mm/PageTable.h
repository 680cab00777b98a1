#pragma once

// x86_64 4-level page tables (Intel SDM vol. 3A, sections 4.5 and 4.10),
// written against a small interface so the same code runs in the kernel and
// on a simulated physical memory in host tests.
//
// A PageTable is a view of one PML4 (it does not own it). Leaves are 4 KiB
// pages, 2 MiB pages (PS in a PD entry) or 1 GiB pages (PS in a PDPT entry,
// only when PagingFeatures::pages_1g). Operations on part of a larger page
// split it into the next size down first, keeping its flags.
//
// Invariants:
//   - no empty page-table page stays linked: unmap frees every table it
//     empties, except the PDPTs under PML4 entries 256..511 (the kernel half),
//     which address spaces share by copying those PML4 entries and which
//     therefore live for ever (create them up front with populate()).
//   - intermediate entries are Present|Writable (plus User when a user page
//     lies below); the leaf alone decides the access rights.
//   - a leaf's translation is invalidated (PageTableMemory::invalidate_page)
//     after it changes or goes away, and a table is unlinked and invalidated
//     before its frame is freed.
//
// Errors: EINVAL for non-canonical or misaligned addresses, lengths of zero,
// unknown flags or unsupported page sizes; EEXIST when map meets an existing
// mapping (nothing is changed); ENOENT when protect or query meet a hole;
// ENOMEM when a table frame cannot be allocated (map_range undoes its work;
// unmap and protect may have finished a prefix of the range).
//
// Locking: none here; the owner (the kernel's page-table lock, or
// AddressSpace) serializes calls.
#include <kernel/lib/Error.h>
#include <kernel/mm/PageFlags.h>

namespace mm {

// What page-table code needs from the machine.
class PageTableMemory {
public:
    // The 512 entries of the table in frame `physical`.
    virtual u64* table(PhysAddr physical) = 0;
    // A zero-filled frame for a new table.
    virtual ErrorOr<PhysAddr> allocate_table() = 0;
    virtual void free_table(PhysAddr physical) = 0;
    // Drops the TLB entry for `address` and cached paging-structure entries (invlpg).
    virtual void invalidate_page(VirtAddr address) = 0;

protected:
    ~PageTableMemory() = default;
};

struct PagingFeatures {
    bool no_execute; // EFER.NXE is on; otherwise NoExecute is dropped from entries
    bool pages_1g;   // CPUID.80000001H:EDX.Page1GB
};

struct Translation {
    PhysAddr physical;  // of the queried address
    VirtAddr page_base; // virtual start of the page holding it
    PageFlags flags;
    PageSize size;
};

// Called for each leaf an unmap or release removes.
struct LeafVisitor {
    void (*visit)(void* context, VirtAddr virtual_base, PhysAddr physical_base, PageSize size) { nullptr };
    void* context { nullptr };
};

class PageTable {
public:
    static constexpr usize ENTRIES = 512;
    static constexpr usize KERNEL_HALF_FIRST_ENTRY = 256;
    static constexpr PhysAddr MAX_PHYSICAL_ADDRESS = u64(1) << 52;

    PageTable(PageTableMemory& memory, PhysAddr root, PagingFeatures features)
        : m_memory(&memory)
        , m_root(root)
        , m_features(features)
    {
    }

    static ErrorOr<PhysAddr> allocate_root(PageTableMemory& memory) { return memory.allocate_table(); }

    PhysAddr root() const { return m_root; }
    PagingFeatures features() const { return m_features; }

    // One page of `size` at `virtual_address` (both addresses aligned to it).
    ErrorOr<void> map(VirtAddr virtual_address, PhysAddr physical, PageFlags flags, PageSize size = PageSize::Size4K);
    // [virtual_address, +length) onto [physical, +length), 4 KiB aligned, with
    // the largest pages up to `largest` that alignment allows. All or nothing.
    ErrorOr<void> map_range(
        VirtAddr virtual_address, PhysAddr physical, u64 length, PageFlags flags, PageSize largest = PageSize::Size4K);
    // Removes every mapping in the 4 KiB aligned range; holes are skipped.
    ErrorOr<void> unmap(VirtAddr virtual_address, u64 length, LeafVisitor visitor = {});
    // Sets the flags of every page in the range (Accessed/Dirty are kept).
    ErrorOr<void> protect(VirtAddr virtual_address, u64 length, PageFlags flags);
    ErrorOr<Translation> query(VirtAddr virtual_address) const;

    // The first `length` bytes of unmapped, 4 KiB aligned space in [first, last].
    ErrorOr<VirtAddr> find_unmapped(VirtAddr first, VirtAddr last, u64 length) const;

    // Gives PML4 entries [first, last] a PDPT each if they have none.
    ErrorOr<void> populate(usize first_entry, usize last_entry);
    // Frees every table below PML4 entries [first, last] and clears them,
    // reporting each leaf. No TLB invalidation: the tables must not be in use.
    void release(usize first_entry, usize last_entry, LeafVisitor visitor = {});

    // Copies PML4 entries [first, last] from the table at `source_root`.
    void copy_root_entries(PhysAddr source_root, usize first_entry, usize last_entry);

    static bool is_canonical(VirtAddr address);

private:
    struct Lookup {
        u64 entry; // 0 if not present
        int level; // where the walk stopped: the leaf's level, or the hole's
    };

    Lookup lookup(VirtAddr address) const;
    u64 entry_bits(PageFlags flags) const;
    ErrorOr<void> validate_range(VirtAddr virtual_address, u64 length) const;
    bool fully_mapped(VirtAddr first, VirtAddr last) const;
    bool first_mapped(VirtAddr first, VirtAddr last, VirtAddr& leaf_last) const;
    ErrorOr<void> split(u64& entry, int level, VirtAddr base);
    ErrorOr<void> unmap_in(PhysAddr table, int level, VirtAddr first, VirtAddr last, const LeafVisitor& visitor);
    ErrorOr<void> protect_in(PhysAddr table, int level, VirtAddr first, VirtAddr last, u64 bits);
    void release_in(PhysAddr table, int level, VirtAddr base, const LeafVisitor& visitor);
    bool table_is_empty(PhysAddr table);

    PageTableMemory* m_memory;
    PhysAddr m_root;
    PagingFeatures m_features;
};

} // namespace mm
