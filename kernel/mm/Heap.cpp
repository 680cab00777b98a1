// Heap: size-class dispatch, validation of frees, growth and statistics.
// See Heap.h for the design; HeapLarge.cpp serves the allocations above 1 MiB.
#include <kernel/mm/Heap.h>

namespace mm {

namespace {

// A slab that changes hands between the lookup of a pointer and taking the
// cache's lock makes free() look the pointer up again; this bounds the retries.
constexpr int LOOKUP_ATTEMPTS = 4;
// Growing adds 2 MiB; if another CPU takes it first, try again this often.
constexpr int GROW_ATTEMPTS = 2;

void add(u64& counter, u64 value)
{
    __atomic_fetch_add(&counter, value, __ATOMIC_RELAXED);
}

void subtract(u64& counter, u64 value)
{
    __atomic_fetch_sub(&counter, value, __ATOMIC_RELAXED);
}

u64 load(const u64& counter)
{
    return __atomic_load_n(&counter, __ATOMIC_RELAXED);
}

} // namespace

StringView free_error_name(FreeError error)
{
    switch (error) {
    case FreeError::NotHeapMemory:
        return "free of non-heap memory";
    case FreeError::InteriorPointer:
        return "free of an interior pointer";
    case FreeError::DoubleFree:
        return "double free";
    case FreeError::CorruptMetadata:
        return "corrupt heap metadata";
    }
    return "?";
}

void Heap::initialize(PageSource& source, FreeReportHook hook)
{
    m_hook = hook;
    for (usize i = 0; i < HEAP_CACHE_COUNT; ++i)
        m_caches[i].initialize(HEAP_CACHE_SIZES[i], static_cast<u8>(i + 1));
    // m_small_cache_index[(size - 1) / 16]: the smallest cache holding size.
    usize cache = 0;
    for (usize slot = 0; slot < array_size(m_small_cache_index); ++slot) {
        while (HEAP_CACHE_SIZES[cache] < (slot + 1) * 16)
            ++cache;
        m_small_cache_index[slot] = static_cast<u8>(cache);
    }
    __atomic_store_n(&m_source, &source, __ATOMIC_RELEASE);
}

SlabCache* Heap::cache_for(usize size, usize alignment)
{
    if (size > HEAP_CACHE_SIZES[HEAP_CACHE_COUNT - 1])
        return nullptr;
    if (alignment <= HEAP_MIN_ALIGNMENT)
        return &m_caches[m_small_cache_index[(size - 1) / 16]];
    for (SlabCache& cache : m_caches) {
        if (cache.object_size() >= size && cache.alignment() >= alignment)
            return &cache;
    }
    return nullptr;
}

SlabCache* Heap::cache_for_owner(u8 owner)
{
    if (owner == 0 || owner > HEAP_CACHE_COUNT)
        return nullptr;
    return &m_caches[owner - 1];
}

void* Heap::allocate(usize size, const void* caller)
{
    return allocate_impl(size, HEAP_MIN_ALIGNMENT, caller);
}

void* Heap::allocate_aligned(usize size, usize alignment, const void* caller)
{
    return allocate_impl(size, alignment, caller);
}

void* Heap::allocate_zeroed(usize count, usize size, const void* caller)
{
    usize bytes;
    if (__builtin_mul_overflow(count, size, &bytes)) {
        add(m_failed_allocations, 1);
        return nullptr;
    }
    void* pointer = allocate_impl(bytes, HEAP_MIN_ALIGNMENT, caller);
    if (pointer)
        __builtin_memset(pointer, 0, bytes);
    return pointer;
}

void* Heap::allocate_impl(usize size, usize alignment, const void* caller)
{
    void* result = nullptr;
    bool valid = is_power_of_two(alignment) && alignment <= HEAP_MAX_ALIGNMENT && size <= HEAP_MAX_ALLOCATION;
    if (valid && __atomic_load_n(&m_source, __ATOMIC_ACQUIRE)) {
        size = max(size, usize(1));
        alignment = max(alignment, HEAP_MIN_ALIGNMENT);
        if (SlabCache* cache = cache_for(size, alignment)) {
            result = allocate_from_cache(*cache, caller);
        } else if (u8 order = BuddyAllocator::order_for_bytes(max(size, alignment)); order <= HEAP_MAX_BLOCK_ORDER) {
            result = allocate_block(order, OWNER_PAGES);
            if (result) {
                add(m_page_bytes, PAGE_SIZE << order);
                add(m_page_live, 1);
                add(m_page_total, 1);
            }
        } else {
            result = allocate_large(size, alignment);
        }
    }
    if (!result)
        add(m_failed_allocations, 1);
    return result;
}

void* Heap::allocate_from_cache(SlabCache& cache, const void* caller)
{
    SlabAllocation allocation = cache.try_allocate();
    if (allocation.corrupt_slab)
        report(FreeError::CorruptMetadata, allocation.corrupt_slab, caller);
    if (allocation.object)
        return allocation.object;

    // No room: fetch a block with no lock held, then hand it to the cache.
    u8* block = allocate_block(cache.slab_order(), OWNER_INTERNAL);
    if (!block)
        return nullptr;
    cache.prepare_slab(block);
    allocation = cache.add_slab_and_allocate(block, m_buddy);
    if (allocation.corrupt_slab)
        report(FreeError::CorruptMetadata, allocation.corrupt_slab, caller);
    return allocation.object;
}

u8* Heap::allocate_block(u8 order, u8 owner)
{
    for (int attempt = 0;; ++attempt) {
        if (u8* block = m_buddy.allocate(order, owner))
            return block;
        if (attempt == GROW_ATTEMPTS || !grow())
            return nullptr;
    }
}

bool Heap::grow()
{
    constexpr usize GROW_PAGES = HEAP_GROW_BYTES / PAGE_SIZE;
    auto memory = m_source->allocate_pages(GROW_PAGES);
    if (memory.is_error())
        return false;
    if (m_buddy.add_zone(memory.value(), HEAP_GROW_BYTES).is_error()) {
        m_source->free_pages(memory.value(), GROW_PAGES);
        return false;
    }
    return true;
}

void Heap::free(void* pointer, const void* caller)
{
    if (!pointer)
        return;
    for (int attempt = 0; attempt < LOOKUP_ATTEMPTS; ++attempt) {
        BlockLookup block = m_buddy.lookup(pointer);
        switch (block.kind) {
        case BlockLookup::Kind::NotInHeap: {
            LargeFind found = free_large(pointer);
            if (found != LargeFind::Found)
                report(found == LargeFind::Interior ? FreeError::InteriorPointer : FreeError::NotHeapMemory, pointer,
                    caller);
            return;
        }
        case BlockLookup::Kind::Metadata:
            report(FreeError::NotHeapMemory, pointer, caller);
            return;
        case BlockLookup::Kind::Free:
            report(FreeError::DoubleFree, pointer, caller);
            return;
        case BlockLookup::Kind::Allocated:
            break;
        }

        if (block.owner == OWNER_PAGES) {
            BlockFreeResult result = m_buddy.free(static_cast<u8*>(pointer), OWNER_PAGES);
            switch (result.status) {
            case BlockStatus::Done:
                subtract(m_page_bytes, PAGE_SIZE << result.order);
                subtract(m_page_live, 1);
                return;
            case BlockStatus::NotHeapMemory:
                report(FreeError::NotHeapMemory, pointer, caller);
                return;
            case BlockStatus::InteriorPointer:
                report(FreeError::InteriorPointer, pointer, caller);
                return;
            case BlockStatus::AlreadyFree:
                report(FreeError::DoubleFree, pointer, caller);
                return;
            case BlockStatus::WrongOwner:
                continue; // it became a slab meanwhile: look again
            }
        }

        // Owned by a cache, or OWNER_INTERNAL: a slab being built or torn down.
        SlabCache* cache = cache_for_owner(block.owner);
        if (!cache) {
            report(FreeError::NotHeapMemory, pointer, caller);
            return;
        }
        SlabFreeResult result = cache->free(pointer, block, m_buddy);
        switch (result.status) {
        case SlabStatus::Done:
            if (result.release_block)
                (void)m_buddy.free(result.release_block, OWNER_INTERNAL);
            return;
        case SlabStatus::NotThisCache:
            continue;
        case SlabStatus::InteriorPointer:
            report(FreeError::InteriorPointer, pointer, caller);
            return;
        case SlabStatus::AlreadyFree:
            report(FreeError::DoubleFree, pointer, caller);
            return;
        case SlabStatus::CorruptSlab:
            report(FreeError::CorruptMetadata, pointer, caller);
            return;
        }
    }
    report(FreeError::NotHeapMemory, pointer, caller);
}

usize Heap::live_size(const void* pointer, FreeError& error)
{
    for (int attempt = 0; attempt < LOOKUP_ATTEMPTS; ++attempt) {
        BlockLookup block = m_buddy.lookup(pointer);
        switch (block.kind) {
        case BlockLookup::Kind::NotInHeap: {
            usize usable = 0;
            LargeFind found = find_large(pointer, usable);
            error = found == LargeFind::Interior ? FreeError::InteriorPointer : FreeError::NotHeapMemory;
            return found == LargeFind::Found ? usable : 0;
        }
        case BlockLookup::Kind::Metadata:
            error = FreeError::NotHeapMemory;
            return 0;
        case BlockLookup::Kind::Free:
            error = FreeError::DoubleFree;
            return 0;
        case BlockLookup::Kind::Allocated:
            break;
        }
        if (block.owner == OWNER_PAGES) {
            error = FreeError::InteriorPointer;
            return pointer == block.block ? PAGE_SIZE << block.order : 0;
        }
        SlabCache* cache = cache_for_owner(block.owner);
        if (!cache) {
            error = FreeError::NotHeapMemory;
            return 0;
        }
        switch (cache->check_live(pointer, block)) {
        case SlabStatus::Done:
            return cache->object_size();
        case SlabStatus::NotThisCache:
            continue;
        case SlabStatus::InteriorPointer:
            error = FreeError::InteriorPointer;
            return 0;
        case SlabStatus::AlreadyFree:
            error = FreeError::DoubleFree;
            return 0;
        case SlabStatus::CorruptSlab:
            error = FreeError::CorruptMetadata;
            return 0;
        }
    }
    error = FreeError::NotHeapMemory;
    return 0;
}

usize Heap::usable_size(const void* pointer)
{
    FreeError error;
    return pointer ? live_size(pointer, error) : 0;
}

void* Heap::reallocate(void* pointer, usize size, const void* caller)
{
    if (!pointer)
        return allocate_impl(size, HEAP_MIN_ALIGNMENT, caller);
    if (size == 0) {
        free(pointer, caller);
        return nullptr;
    }
    FreeError error;
    usize usable = live_size(pointer, error);
    if (!usable) {
        report(error, pointer, caller);
        add(m_failed_allocations, 1);
        return nullptr;
    }
    // Stay in place unless that would waste more than half of the block.
    if (size <= usable && (size > usable / 2 || usable <= HEAP_MIN_ALIGNMENT))
        return pointer;
    void* fresh = allocate_impl(size, HEAP_MIN_ALIGNMENT, caller);
    if (!fresh)
        return nullptr;
    __builtin_memcpy(fresh, pointer, min(size, usable));
    free(pointer, caller);
    return fresh;
}

void Heap::report(FreeError error, const void* pointer, const void* caller)
{
    add(m_invalid_frees, 1);
    if (m_hook)
        m_hook({ error, pointer, caller });
}

HeapStats Heap::stats() const
{
    HeapStats stats {};
    // Slab objects, from the caches, minus the large-allocation records.
    u64 small_live = 0;
    u64 small_bytes = 0;
    u64 small_total = 0;
    for (usize i = 0; i < HEAP_CACHE_COUNT; ++i) {
        stats.caches[i] = m_caches[i].stats();
        small_live += stats.caches[i].objects_in_use;
        small_bytes += stats.caches[i].objects_in_use * stats.caches[i].object_size;
        small_total += stats.caches[i].allocations;
    }
    u64 record_allocations = load(m_record_allocations);
    u64 records_live = record_allocations - load(m_record_frees);
    small_live -= records_live;
    small_bytes -= records_live * stats.caches[record_cache_index()].object_size;
    small_total -= record_allocations;

    usize large_pages;
    {
        SpinlockGuard guard(m_large_lock);
        stats.large_allocations = m_large_count;
        large_pages = m_large_pages;
        stats.allocated_bytes = m_large_bytes;
        stats.total_allocations = m_large_total;
    }
    stats.live_allocations = small_live + load(m_page_live) + stats.large_allocations;
    stats.allocated_bytes += small_bytes + load(m_page_bytes);
    stats.total_allocations += small_total + load(m_page_total);
    stats.total_frees = stats.total_allocations - stats.live_allocations;
    stats.failed_allocations = load(m_failed_allocations);
    stats.invalid_frees = load(m_invalid_frees);
    BuddyStats buddy = m_buddy.stats();
    stats.free_pages = buddy.free_pages;
    stats.zones = buddy.zones;
    stats.pages = buddy.total_pages + large_pages;
    return stats;
}

} // namespace mm
