#pragma once

// A slab cache: objects of one size carved out of buddy blocks ("slabs").
//
// Each slab is a block of 2^slab_order pages from the BuddyAllocator, owned
// by this cache (its head descriptor's owner byte is the cache's owner id).
// The slab header sits at the start of the block; objects follow at the
// cache's alignment (natural for power-of-two sizes, the largest power of two
// dividing the size otherwise, at least 16). The order is the smallest that
// wastes at most 1/8 of the slab. A slab keeps:
// - a free list threaded through its free objects (LIFO, cache-warm reuse),
// - a bitmap with one bit per object, set when the object is free. The bitmap
//   is the truth: a double free is detected exactly, and a free-list link
//   overwritten by a use-after-free is caught (the list is then rebuilt from
//   the bitmap and the corruption reported) instead of handing out a wild
//   pointer.
// Slabs sit on one of three lists: partial (some objects free; allocation
// takes from here first), full, empty. Empty slabs beyond a reserve of
// EMPTY_SLAB_RESERVE go back to the buddy allocator.
//
// Locking: m_lock guards the lists, every slab header of the cache and the
// counters. The cache never allocates under m_lock: when it has no room,
// try_allocate() returns null and the heap fetches a block (growing itself
// if needed) with no lock held, then hands it over with
// add_slab_and_allocate(). A block becomes a slab of this cache (owner byte
// set to the cache's id) and stops being one (owner set back to
// OWNER_INTERNAL) only under m_lock, so a free() that finds the owner byte
// equal to the cache's id after taking m_lock knows the block is a live,
// initialized slab of this cache. The buddy lock is taken inside m_lock
// (set_owner), never the reverse.
#include <kernel/lib/Spinlock.h>
#include <kernel/mm/BuddyAllocator.h>

namespace mm {

struct Slab;

struct SlabCacheStats {
    u32 object_size;
    u32 alignment;
    u32 objects_per_slab;
    u8 slab_order;
    usize slabs; // including the empty ones
    usize empty_slabs;
    usize objects_in_use;
    usize allocations; // objects handed out since initialize()
};

enum class SlabStatus : u8 {
    Done,
    NotThisCache,    // the block is no longer a slab of this cache: look it up again
    InteriorPointer, // inside the slab but not at the start of an object
    AlreadyFree,     // the object is free
    CorruptSlab,     // the slab header is damaged (overwritten by someone)
};

struct SlabAllocation {
    void* object;             // null when the cache has no room
    const void* corrupt_slab; // a slab whose free list was found damaged and rebuilt
};

struct SlabFreeResult {
    SlabStatus status;
    u8* release_block; // a now-empty slab beyond the reserve, owner OWNER_INTERNAL: free it to the buddy
};

class SlabCache {
public:
    static constexpr usize EMPTY_SLAB_RESERVE = 1;
    static constexpr usize MAX_OBJECTS_PER_SLAB = 256;
    static constexpr u8 MAX_SLAB_ORDER = 3;

    constexpr SlabCache() = default;
    SlabCache(const SlabCache&) = delete;
    SlabCache& operator=(const SlabCache&) = delete;

    // `object_size` is a multiple of 16 up to PAGE_SIZE / 2; `owner` in 1..254.
    void initialize(u32 object_size, u8 owner);

    u32 object_size() const { return m_object_size; }
    u32 alignment() const { return m_alignment; }
    u8 slab_order() const { return m_slab_order; }
    u8 owner() const { return m_owner; }

    // An object from a partial or empty slab, or a null object if none has room.
    SlabAllocation try_allocate();
    // Turns a block of slab_order() held with OWNER_INTERNAL into a slab (no lock needed).
    void prepare_slab(u8* block);
    // Adds a prepared slab to the cache and takes an object from it.
    SlabAllocation add_slab_and_allocate(u8* block, BuddyAllocator& buddy);

    // `block` is the buddy's lookup of `object`, which named this cache as owner.
    SlabFreeResult free(void* object, const BlockLookup& block, BuddyAllocator& buddy);
    // Done if `object` is a live object of this cache.
    SlabStatus check_live(const void* object, const BlockLookup& block);

    SlabCacheStats stats() const;

private:
    struct SlabList {
        Slab* head { nullptr };
        usize count { 0 };
    };
    enum ListKind : u8 {
        Partial,
        Full,
        Empty,
        ListCount,
    };

    SlabStatus locate_locked(const void* object, const BlockLookup& block, Slab*& slab, usize& index);
    SlabAllocation allocate_from_locked(Slab& slab);
    // The object index of `address` in `slab`, or -1 if it is not the start of an object.
    usize object_index(const Slab& slab, const void* address) const;
    bool is_free_object(const Slab& slab, const void* object) const;
    void rebuild_free_list(Slab& slab);
    void push_locked(Slab& slab, ListKind kind);
    void unlink_locked(Slab& slab);
    void move_locked(Slab& slab, ListKind kind);

    mutable Spinlock m_lock;
    u32 m_object_size { 0 };
    u32 m_alignment { 0 };
    u32 m_objects_offset { 0 }; // from the start of the slab
    u32 m_objects_per_slab { 0 };
    u64 m_reciprocal { 0 }; // ceil(2^32 / m_object_size): division by multiplication
    u8 m_slab_order { 0 };
    u8 m_owner { 0 };
    SlabList m_lists[ListCount] {}; // guarded by m_lock, as are the counters below
    usize m_objects_in_use { 0 };
    usize m_allocations { 0 };
};

} // namespace mm
