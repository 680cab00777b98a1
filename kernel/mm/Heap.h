#pragma once

// The kernel heap: slab caches for small sizes on a buddy allocator for pages.
//
//   size (after alignment)     served by
//   1 .. 2048 bytes            a SlabCache (16 32 64 96 128 192 256 512 1024 2048)
//   2049 bytes .. 1 MiB        a BuddyAllocator block of 2^k pages
//   above 1 MiB                the PageSource directly (tracked in a list)
//
// The buddy allocator starts empty and grows by 2 MiB chunks from the
// PageSource (mm::allocate_frames in the kernel). A 2 MiB chunk whose first
// page holds the zone metadata always contains an aligned 1 MiB block, which
// is why 1 MiB is the largest buddy request. Zones are never given back.
//
// Every entry point returns null on failure (bad alignment, size overflow,
// memory exhausted) and counts the failure; none panics. kfree validates its
// pointer: a pointer that is not a live allocation (never allocated, already
// freed, pointing into the middle of an allocation, not heap memory at all)
// is reported through the FreeReportHook with the caller's return address and
// changes nothing.
//
// Alignment: every allocation is 16-byte aligned; slab objects are aligned to
// their size class (natural for powers of two), page blocks to their size.
// allocate_aligned accepts powers of two up to HEAP_MAX_ALIGNMENT.
//
// Locking: see BuddyAllocator.h and SlabCache.h. Heap itself adds
// m_large_lock for the list of direct PageSource allocations and its
// counters. Slab allocations are counted by their cache under its lock (the
// fast path takes no other lock and does no atomic counter update); page
// blocks and the rare events use atomic counters. stats() adds them up.
// The PageSource is always called with no lock held (STYLE rule 7), and the
// report hook too.
#include <kernel/lib/Spinlock.h>
#include <kernel/lib/StringView.h>
#include <kernel/mm/BuddyAllocator.h>
#include <kernel/mm/PageSource.h>
#include <kernel/mm/SlabCache.h>

namespace mm {

inline constexpr usize HEAP_CACHE_COUNT = 10;
inline constexpr u32 HEAP_CACHE_SIZES[HEAP_CACHE_COUNT] = { 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048 };
inline constexpr usize HEAP_GROW_BYTES = 2 * MiB;
inline constexpr u8 HEAP_MAX_BLOCK_ORDER = 8; // 1 MiB
inline constexpr usize HEAP_MIN_ALIGNMENT = 16;
inline constexpr usize HEAP_MAX_ALIGNMENT = 1 * GiB;
// Requests above this fail at once (no PageSource could serve them).
inline constexpr usize HEAP_MAX_ALLOCATION = usize(1) << 46;

enum class FreeError : u8 {
    NotHeapMemory,   // not inside any heap allocation (a stack address, a global, a wild pointer)
    InteriorPointer, // inside a live allocation but not its start
    DoubleFree,      // heap memory that is free: freed twice, or never handed out
    CorruptMetadata, // heap bookkeeping found overwritten (detected and repaired, or the free refused)
};

StringView free_error_name(FreeError error);

struct FreeReport {
    FreeError error;
    const void* pointer;
    const void* caller; // return address of the kfree/krealloc/kmalloc call, or null
};

// Called with no lock held. The kernel logs; host tests record.
using FreeReportHook = void (*)(const FreeReport&);

struct HeapStats {
    u64 allocated_bytes; // usable bytes of the live allocations
    u64 live_allocations;
    u64 total_allocations; // successful, since initialize()
    u64 total_frees;
    u64 failed_allocations;
    u64 invalid_frees; // reports made through the hook
    u64 pages;         // pages taken from the PageSource (zones and large allocations)
    u64 free_pages;    // buddy pages not in use
    u64 zones;
    u64 large_allocations; // live allocations served by the PageSource directly
    SlabCacheStats caches[HEAP_CACHE_COUNT];
};

class Heap {
public:
    constexpr Heap() = default;
    Heap(const Heap&) = delete;
    Heap& operator=(const Heap&) = delete;

    // Until this is called every allocation fails.
    void initialize(PageSource& source, FreeReportHook hook);

    [[nodiscard]] void* allocate(usize size, const void* caller = nullptr);
    [[nodiscard]] void* allocate_aligned(usize size, usize alignment, const void* caller = nullptr);
    // count * size bytes, zeroed; null if the product overflows.
    [[nodiscard]] void* allocate_zeroed(usize count, usize size, const void* caller = nullptr);
    // C realloc: null pointer allocates, size 0 frees (and returns null). On
    // failure the old allocation is left untouched. Alignment beyond 16 bytes
    // from allocate_aligned is not preserved.
    [[nodiscard]] void* reallocate(void* pointer, usize size, const void* caller = nullptr);
    void free(void* pointer, const void* caller = nullptr);

    // Usable bytes of a live allocation, 0 if `pointer` is not one.
    usize usable_size(const void* pointer);

    HeapStats stats() const;

private:
    struct LargeAllocation;

    void* allocate_impl(usize size, usize alignment, const void* caller);
    SlabCache* cache_for(usize size, usize alignment);
    SlabCache* cache_for_owner(u8 owner);
    void* allocate_from_cache(SlabCache& cache, const void* caller);
    u8* allocate_block(u8 order, u8 owner);
    bool grow();
    usize live_size(const void* pointer, FreeError& error);
    void report(FreeError error, const void* pointer, const void* caller);

    // HeapLarge.cpp: allocations served by the PageSource directly.
    void* allocate_large(usize size, usize alignment);
    usize record_cache_index() const;
    enum class LargeFind : u8 {
        Found,
        Interior,
        Missing,
    };
    LargeFind free_large(const void* pointer);
    LargeFind find_large(const void* pointer, usize& usable) const;

    PageSource* m_source { nullptr };
    FreeReportHook m_hook { nullptr };
    BuddyAllocator m_buddy;
    SlabCache m_caches[HEAP_CACHE_COUNT];
    u8 m_small_cache_index[HEAP_CACHE_SIZES[HEAP_CACHE_COUNT - 1] / 16] {};

    mutable Spinlock m_large_lock;
    LargeAllocation* m_large_list { nullptr }; // guarded by m_large_lock, as are the counters below
    usize m_large_count { 0 };
    usize m_large_pages { 0 };
    u64 m_large_bytes { 0 };
    u64 m_large_total { 0 };

    // Updated with atomic operations. Records are the LargeAllocation
    // bookkeeping objects, taken from a cache but not counted as allocations.
    u64 m_page_bytes { 0 };
    u64 m_page_live { 0 };
    u64 m_page_total { 0 };
    u64 m_record_allocations { 0 };
    u64 m_record_frees { 0 };
    u64 m_failed_allocations { 0 };
    u64 m_invalid_frees { 0 };
};

} // namespace mm

// The kernel's heap (kernel/core/KernelHeap.cpp). All return null on failure.
[[nodiscard]] void* kmalloc(usize size);
[[nodiscard]] void* kmalloc_aligned(usize size, usize alignment);
[[nodiscard]] void* kcalloc(usize count, usize size);
[[nodiscard]] void* krealloc(void* pointer, usize size);
void kfree(void* pointer);

namespace mm {

// Sets up the kernel heap on mm::allocate_frames. Called once during boot,
// after the physical memory manager; until then every allocation fails.
void heap_init();
HeapStats heap_stats();
// The heap behind kmalloc, for callers that pass their own caller address
// (operator delete, lib::deallocate).
Heap& kernel_heap();

} // namespace mm
