// Heap allocations above 1 MiB: served by the PageSource directly, one run of
// pages each, and remembered in a singly linked list of records so that
// free() can validate the pointer and give back exactly the run it came from.
// Such allocations are rare and big, so a list walk is cheap next to them.
//
// An alignment above a page is met by asking for alignment/PAGE_SIZE - 1
// extra pages and returning the first aligned address inside the run.
// The records themselves come from a slab cache; m_record_allocations and
// m_record_frees let stats() take them out of that cache's counts (they are
// bookkeeping, not allocations).
//
// Locking: m_large_lock guards the list and its counters. The PageSource is
// called, and records are allocated and freed, with the lock dropped.
#include <kernel/lib/Placement.h>
#include <kernel/mm/Heap.h>

namespace mm {

namespace {

void add_relaxed(u64& counter, u64 value)
{
    __atomic_fetch_add(&counter, value, __ATOMIC_RELAXED);
}

} // namespace

struct Heap::LargeAllocation {
    LargeAllocation* next;
    u8* base; // the run from the PageSource
    usize pages;
    u8* pointer; // what the caller got, aligned inside the run

    usize usable() const { return base + pages * PAGE_SIZE - pointer; }
    bool contains(const void* address) const { return address >= base && address < base + pages * PAGE_SIZE; }
};

usize Heap::record_cache_index() const
{
    return m_small_cache_index[(sizeof(LargeAllocation) - 1) / 16];
}

void* Heap::allocate_large(usize size, usize alignment)
{
    // size <= HEAP_MAX_ALLOCATION and alignment <= HEAP_MAX_ALIGNMENT: no overflow.
    usize pages = align_up(size, PAGE_SIZE) / PAGE_SIZE;
    if (alignment > PAGE_SIZE)
        pages += alignment / PAGE_SIZE - 1;

    void* slot = allocate_from_cache(m_caches[record_cache_index()], nullptr);
    if (!slot)
        return nullptr;
    add_relaxed(m_record_allocations, 1);
    auto memory = m_source->allocate_pages(pages);
    if (memory.is_error()) {
        free(slot, nullptr);
        add_relaxed(m_record_frees, 1);
        return nullptr;
    }
    u8* base = memory.value();
    auto* pointer = reinterpret_cast<u8*>(align_up(reinterpret_cast<uptr>(base), uptr(alignment)));
    auto* record = new (slot) LargeAllocation { nullptr, base, pages, pointer };

    SpinlockGuard guard(m_large_lock);
    record->next = m_large_list;
    m_large_list = record;
    ++m_large_count;
    m_large_pages += pages;
    m_large_bytes += record->usable();
    ++m_large_total;
    return pointer;
}

Heap::LargeFind Heap::free_large(const void* pointer)
{
    LargeAllocation* found = nullptr;
    {
        SpinlockGuard guard(m_large_lock);
        for (LargeAllocation** link = &m_large_list; *link; link = &(*link)->next) {
            LargeAllocation* record = *link;
            if (record->pointer == pointer) {
                *link = record->next;
                --m_large_count;
                m_large_pages -= record->pages;
                m_large_bytes -= record->usable();
                found = record;
                break;
            }
            if (record->contains(pointer))
                return LargeFind::Interior;
        }
    }
    if (!found)
        return LargeFind::Missing;
    m_source->free_pages(found->base, found->pages);
    free(found, nullptr);
    add_relaxed(m_record_frees, 1);
    return LargeFind::Found;
}

Heap::LargeFind Heap::find_large(const void* pointer, usize& usable) const
{
    SpinlockGuard guard(m_large_lock);
    for (LargeAllocation* record = m_large_list; record; record = record->next) {
        if (record->pointer == pointer) {
            usable = record->usable();
            return LargeFind::Found;
        }
        if (record->contains(pointer))
            return LargeFind::Interior;
    }
    return LargeFind::Missing;
}

} // namespace mm
