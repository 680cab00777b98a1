// SlabCache: see SlabCache.h for the design, invariants and locking.
#include <kernel/lib/Placement.h>
#include <kernel/mm/SlabCache.h>

namespace mm {

namespace {

constexpr u64 SLAB_MAGIC = 0x42414c5359525053; // "SPRYSLAB", little-endian
constexpr usize BITMAP_WORDS = SlabCache::MAX_OBJECTS_PER_SLAB / 64;

struct FreeObject {
    FreeObject* next;
};

uptr address_of(const void* pointer)
{
    return reinterpret_cast<uptr>(pointer);
}

} // namespace

// The header at the start of every slab. Guarded by the owning cache's lock.
struct Slab {
    u64 magic;
    SlabCache* cache;
    Slab* next;
    Slab* prev;
    FreeObject* free_list;
    u8* objects;
    u16 capacity;
    u16 in_use;
    u8 list;                       // SlabCache::ListKind
    u64 free_bitmap[BITMAP_WORDS]; // bit i set: object i is free

    bool is_free(usize index) const { return free_bitmap[index / 64] & (u64(1) << (index % 64)); }
    void mark_free(usize index) { free_bitmap[index / 64] |= u64(1) << (index % 64); }
    void mark_used(usize index) { free_bitmap[index / 64] &= ~(u64(1) << (index % 64)); }
};

void SlabCache::initialize(u32 object_size, u8 owner)
{
    m_object_size = object_size;
    m_owner = owner;
    u32 natural = object_size & (~object_size + 1); // the lowest set bit
    m_alignment = min(max(natural, u32(16)), u32(PAGE_SIZE));
    m_reciprocal = ((u64(1) << 32) + object_size - 1) / object_size;
    m_objects_offset = align_up(u32(sizeof(Slab)), m_alignment);
    // The smallest slab that wastes (header plus tail) at most 1/8 of itself.
    for (u8 order = 0; order <= MAX_SLAB_ORDER; ++order) {
        usize bytes = PAGE_SIZE << order;
        usize capacity = min((bytes - m_objects_offset) / object_size, MAX_OBJECTS_PER_SLAB);
        m_slab_order = order;
        m_objects_per_slab = static_cast<u32>(capacity);
        if ((bytes - capacity * object_size) * 8 <= bytes)
            break;
    }
}

void SlabCache::prepare_slab(u8* block)
{
    auto* slab = new (block) Slab {};
    slab->magic = SLAB_MAGIC;
    slab->cache = this;
    slab->objects = block + m_objects_offset;
    slab->capacity = static_cast<u16>(m_objects_per_slab);
    slab->list = Empty;
    for (usize i = 0; i < m_objects_per_slab; ++i)
        slab->mark_free(i);
    rebuild_free_list(*slab);
}

void SlabCache::rebuild_free_list(Slab& slab)
{
    // Pushed from the end so the list runs in address order.
    slab.free_list = nullptr;
    for (usize i = slab.capacity; i > 0; --i) {
        if (!slab.is_free(i - 1))
            continue;
        auto* object = new (slab.objects + (i - 1) * m_object_size) FreeObject { slab.free_list };
        slab.free_list = object;
    }
}

usize SlabCache::object_index(const Slab& slab, const void* address) const
{
    // offset * ceil(2^32 / size) >> 32 is offset / size exactly while
    // offset * (ceil(2^32 / size) * size - 2^32) < 2^32, which holds for
    // offsets within a slab (< 2^15) and sizes up to 2^16.
    uptr start = address_of(slab.objects);
    uptr target = address_of(address);
    if (target < start || target - start >= usize(slab.capacity) * m_object_size)
        return ~usize(0);
    usize offset = target - start;
    usize index = (offset * m_reciprocal) >> 32;
    return index * m_object_size == offset ? index : ~usize(0);
}

bool SlabCache::is_free_object(const Slab& slab, const void* object) const
{
    usize index = object_index(slab, object);
    return index != ~usize(0) && slab.is_free(index);
}

SlabAllocation SlabCache::try_allocate()
{
    SpinlockGuard guard(m_lock);
    const void* corrupt_slab = nullptr;
    for (;;) {
        Slab* slab = m_lists[Partial].head ? m_lists[Partial].head : m_lists[Empty].head;
        if (!slab)
            return { nullptr, corrupt_slab };
        SlabAllocation allocation = allocate_from_locked(*slab);
        if (allocation.corrupt_slab)
            corrupt_slab = allocation.corrupt_slab;
        if (allocation.object)
            return { allocation.object, corrupt_slab };
    }
}

SlabAllocation SlabCache::add_slab_and_allocate(u8* block, BuddyAllocator& buddy)
{
    SpinlockGuard guard(m_lock);
    if (!buddy.set_owner(block, OWNER_INTERNAL, m_owner))
        return { nullptr, block };
    auto& slab = *reinterpret_cast<Slab*>(block);
    push_locked(slab, Empty);
    return allocate_from_locked(slab);
}

SlabAllocation SlabCache::allocate_from_locked(Slab& slab)
{
    // A free object's link may have been overwritten (a use after free, an
    // overflow). Both the head and the link taken from it are checked
    // against the bitmap; on a mismatch the list is rebuilt from the bitmap
    // and the slab reported, instead of handing out a wild pointer.
    const void* corrupt_slab = nullptr;
    FreeObject* object = slab.free_list;
    if (!is_free_object(slab, object)) {
        corrupt_slab = &slab;
        rebuild_free_list(slab);
        object = slab.free_list;
        if (!object) {
            // The counters disagree with the bitmap: the slab is full.
            m_objects_in_use += slab.capacity - slab.in_use;
            slab.in_use = slab.capacity;
            move_locked(slab, Full);
            return { nullptr, corrupt_slab };
        }
    }
    slab.mark_used(object_index(slab, object));
    FreeObject* next = object->next;
    if (next && !is_free_object(slab, next)) {
        corrupt_slab = &slab;
        rebuild_free_list(slab);
    } else {
        slab.free_list = next;
    }
    ++slab.in_use;
    ++m_objects_in_use;
    ++m_allocations;
    move_locked(slab, slab.in_use == slab.capacity ? Full : Partial);
    return { object, corrupt_slab };
}

SlabStatus SlabCache::locate_locked(const void* object, const BlockLookup& block, Slab*& slab, usize& index)
{
    if (__atomic_load_n(&block.head->owner, __ATOMIC_ACQUIRE) != m_owner)
        return SlabStatus::NotThisCache;
    slab = reinterpret_cast<Slab*>(block.block);
    if (slab->magic != SLAB_MAGIC || slab->cache != this || slab->capacity != m_objects_per_slab)
        return SlabStatus::CorruptSlab;
    index = object_index(*slab, object);
    if (index == ~usize(0))
        return SlabStatus::InteriorPointer;
    return slab->is_free(index) ? SlabStatus::AlreadyFree : SlabStatus::Done;
}

SlabFreeResult SlabCache::free(void* object, const BlockLookup& block, BuddyAllocator& buddy)
{
    SpinlockGuard guard(m_lock);
    Slab* slab = nullptr;
    usize index = 0;
    SlabStatus status = locate_locked(object, block, slab, index);
    if (status != SlabStatus::Done)
        return { status, nullptr };

    slab->mark_free(index);
    slab->free_list = new (object) FreeObject { slab->free_list };
    --slab->in_use;
    --m_objects_in_use;
    if (slab->in_use > 0) {
        move_locked(*slab, Partial);
        return { SlabStatus::Done, nullptr };
    }
    move_locked(*slab, Empty);
    if (m_lists[Empty].count <= EMPTY_SLAB_RESERVE)
        return { SlabStatus::Done, nullptr };
    // Beyond the reserve: hand the slab back. It stops being ours (owner
    // byte) under m_lock, before anyone else can see it.
    unlink_locked(*slab);
    slab->magic = 0;
    if (!buddy.set_owner(block.block, m_owner, OWNER_INTERNAL)) {
        push_locked(*slab, Empty);
        slab->magic = SLAB_MAGIC;
        return { SlabStatus::Done, nullptr };
    }
    return { SlabStatus::Done, block.block };
}

SlabStatus SlabCache::check_live(const void* object, const BlockLookup& block)
{
    SpinlockGuard guard(m_lock);
    Slab* slab = nullptr;
    usize index = 0;
    return locate_locked(object, block, slab, index);
}

void SlabCache::push_locked(Slab& slab, ListKind kind)
{
    SlabList& list = m_lists[kind];
    slab.list = kind;
    slab.prev = nullptr;
    slab.next = list.head;
    if (list.head)
        list.head->prev = &slab;
    list.head = &slab;
    ++list.count;
}

void SlabCache::unlink_locked(Slab& slab)
{
    SlabList& list = m_lists[slab.list];
    if (slab.prev)
        slab.prev->next = slab.next;
    else
        list.head = slab.next;
    if (slab.next)
        slab.next->prev = slab.prev;
    slab.next = slab.prev = nullptr;
    --list.count;
}

void SlabCache::move_locked(Slab& slab, ListKind kind)
{
    if (slab.list == kind)
        return;
    unlink_locked(slab);
    push_locked(slab, kind);
}

SlabCacheStats SlabCache::stats() const
{
    SpinlockGuard guard(m_lock);
    SlabCacheStats stats {};
    stats.object_size = m_object_size;
    stats.alignment = m_alignment;
    stats.objects_per_slab = m_objects_per_slab;
    stats.slab_order = m_slab_order;
    stats.slabs = m_lists[Partial].count + m_lists[Full].count + m_lists[Empty].count;
    stats.empty_slabs = m_lists[Empty].count;
    stats.objects_in_use = m_objects_in_use;
    stats.allocations = m_allocations;
    return stats;
}

} // namespace mm
