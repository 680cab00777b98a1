#pragma once

// The buddy allocator: the page-level layer of the kernel heap (see Heap.h).
//
// It manages zones, runs of contiguous pages handed to it at run time (the
// heap grows by 2 MiB chunks from a PageSource). The first page(s) of a zone
// hold the zone header and one PageDescriptor per page; the rest is split into
// blocks of 2^order pages, order 0..9 (4 KiB .. 2 MiB). A block of order k is
// aligned to 4 KiB << k as an address, not merely inside its zone, so a block
// is naturally aligned to its size and its buddy is `address ^ (4 KiB << k)`;
// a zone that does not start on a 2 MiB boundary is carved into the largest
// aligned blocks that fit (like Linux's memblock release into the buddy).
//
// Invariants (checked by tests/unit/mm/buddy_allocator_test.cpp):
// - Every page of a zone is exactly one of: Metadata, the head of a free block
//   (FreeHead, with its order, linked on free_lists[order]), inside a free
//   block (FreeTail), the head of an allocated block (AllocatedHead, with its
//   order and owner), inside an allocated block (AllocatedTail, with the
//   block's order so the head is found by aligning down).
// - Two free buddies of the same order never coexist: they are merged on free.
// - Free lists are intrusive (a FreeBlock header at the start of each free
//   block), so the allocator never allocates.
// - free() validates the pointer against the descriptors: a pointer that is
//   not the head of an allocated block is refused with a status and changes
//   nothing.
// - Zones are never removed, so a PageDescriptor pointer stays valid forever.
//
// Locking: one spinlock, m_lock, guards the zone table, the free lists, the
// descriptors' state/order and the counters. The owner byte of an allocated
// head is also changed by set_owner() under m_lock, and read with atomic
// loads by SlabCache under its own lock (see SlabCache.h for why that is
// enough). Lock order: a SlabCache lock may be held when m_lock is taken,
// never the reverse.
#include <kernel/lib/Error.h>
#include <kernel/lib/Spinlock.h>

namespace mm {

inline constexpr u8 BUDDY_MAX_ORDER = 9;
inline constexpr usize BUDDY_ORDER_COUNT = BUDDY_MAX_ORDER + 1;

// The owner byte of an allocated block: who handed it out.
inline constexpr u8 OWNER_PAGES = 0;       // a page-level kmalloc allocation
inline constexpr u8 OWNER_INTERNAL = 0xff; // held by the heap itself (a slab being built or torn down)
// Values 1..254 name the slab cache whose slab the block is.

enum class PageState : u8 {
    Metadata,
    FreeHead,
    FreeTail,
    AllocatedHead,
    AllocatedTail,
};

struct PageDescriptor {
    PageState state;
    u8 order; // FreeHead, AllocatedHead, AllocatedTail: the order of the block
    u8 owner; // AllocatedHead only
    u8 reserved;
};

struct BuddyZone;
struct FreeBlock;

// What an address is, as far as the buddy allocator knows.
struct BlockLookup {
    enum class Kind : u8 {
        NotInHeap,
        Metadata,
        Free,
        Allocated,
    };
    Kind kind;
    u8 order;             // Allocated: order of the block
    u8 owner;             // Allocated: owner of the block
    u8* block;            // Allocated: the block's first byte
    PageDescriptor* head; // Allocated: its head descriptor
};

enum class BlockStatus : u8 {
    Done,
    NotHeapMemory,   // outside every zone, or zone metadata
    InteriorPointer, // inside an allocated block but not at its start
    AlreadyFree,     // in a free block
    WrongOwner,      // an allocated block, but not owned by the caller's owner value
};

struct BlockFreeResult {
    BlockStatus status;
    u8 order; // Done: the order freed
};

struct BuddyStats {
    usize zones;
    usize total_pages; // including metadata pages
    usize metadata_pages;
    usize free_pages;
    usize free_blocks[BUDDY_ORDER_COUNT];
};

class BuddyAllocator {
public:
    static constexpr usize MAX_ZONES = 1024;

    constexpr BuddyAllocator() = default;
    BuddyAllocator(const BuddyAllocator&) = delete;
    BuddyAllocator& operator=(const BuddyAllocator&) = delete;

    // Hands `bytes` of page-aligned memory at `memory` to the allocator.
    // EINVAL if misaligned, too small or overlapping a zone; ENOSPC when the
    // zone table is full. On error nothing changed and the caller keeps the memory.
    ErrorOr<void> add_zone(u8* memory, usize bytes);

    // A block of 2^order pages marked with `owner`, or null if none is free.
    u8* allocate(u8 order, u8 owner);
    BlockFreeResult free(u8* block, u8 expected_owner);
    // Changes the owner of an allocated block from `expected` to `owner`;
    // false (and nothing changed) if `block` is not such a block.
    bool set_owner(u8* block, u8 expected, u8 owner);

    BlockLookup lookup(const void* address) const;
    BuddyStats stats() const;

    // The order of the smallest block holding `bytes`, or BUDDY_ORDER_COUNT
    // if no block is big enough.
    static u8 order_for_bytes(usize bytes);

private:
    BuddyZone* find_zone_locked(const void* address) const;
    void push_free_locked(BuddyZone& zone, usize index, u8 order);
    void unlink_free_locked(FreeBlock& block, u8 order);

    mutable Spinlock m_lock;
    BuddyZone* m_zones[MAX_ZONES] {}; // sorted by address; guarded by m_lock
    usize m_zone_count { 0 };
    FreeBlock* m_free_lists[BUDDY_ORDER_COUNT] {};
    usize m_free_blocks[BUDDY_ORDER_COUNT] {};
    usize m_total_pages { 0 };
    usize m_metadata_pages { 0 };
    usize m_free_pages { 0 };
};

} // namespace mm
