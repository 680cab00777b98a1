// Tests of kernel/mm/Heap allocation paths: every size class, alignment of
// every pointer, aligned allocation, krealloc, kcalloc, statistics.
#include "heap_test_support.h"
#include <gtest/gtest.h>
#include <set>

using namespace mm;
using heap_test::address;
using heap_test::aligned_to;
using heap_test::expected_usable;
using heap_test::TestPageSource;

namespace {

class HeapAllocTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        heap_test::take_reports();
        m_heap->initialize(m_source, heap_test::record_report);
    }
    void TearDown() override { EXPECT_TRUE(heap_test::take_reports().empty()); }

    TestPageSource m_source;
    std::unique_ptr<Heap> m_heap { std::make_unique<Heap>() };
};

void fill(void* pointer, usize size, u8 seed)
{
    auto* bytes = static_cast<u8*>(pointer);
    for (usize i = 0; i < size; ++i)
        bytes[i] = static_cast<u8>(seed + i * 131);
}

bool intact(const void* pointer, usize size, u8 seed)
{
    auto* bytes = static_cast<const u8*>(pointer);
    for (usize i = 0; i < size; ++i) {
        if (bytes[i] != static_cast<u8>(seed + i * 131))
            return false;
    }
    return true;
}

} // namespace

TEST_F(HeapAllocTest, EverySmallSizeGetsItsClassAndAlignment)
{
    std::vector<void*> pointers;
    for (usize size = 0; size <= 2048; ++size) {
        void* pointer = m_heap->allocate(size);
        ASSERT_NE(pointer, nullptr) << size;
        usize usable = expected_usable(size, 16);
        EXPECT_EQ(m_heap->usable_size(pointer), usable) << size;
        EXPECT_TRUE(aligned_to(pointer, 16)) << size;
        if (is_power_of_two(usable))
            EXPECT_TRUE(aligned_to(pointer, usable)) << size;
        fill(pointer, usable, static_cast<u8>(size));
        pointers.push_back(pointer);
    }
    for (usize size = 0; size <= 2048; ++size) {
        EXPECT_TRUE(intact(pointers[size], expected_usable(size, 16), static_cast<u8>(size))) << size;
        m_heap->free(pointers[size]);
    }
    HeapStats stats = m_heap->stats();
    EXPECT_EQ(stats.live_allocations, 0u);
    EXPECT_EQ(stats.allocated_bytes, 0u);
    EXPECT_EQ(stats.total_allocations, 2049u);
    EXPECT_EQ(stats.total_frees, 2049u);
    for (const SlabCacheStats& cache : stats.caches) {
        EXPECT_EQ(cache.objects_in_use, 0u);
        EXPECT_GT(cache.allocations, 0u) << cache.object_size;
    }
}

TEST_F(HeapAllocTest, PageSizesGetNaturallyAlignedBlocks)
{
    for (usize size : { usize(2049), usize(4096), usize(4097), usize(12000), usize(65536), usize(300000), MiB }) {
        void* pointer = m_heap->allocate(size);
        ASSERT_NE(pointer, nullptr) << size;
        usize usable = expected_usable(size, 16);
        EXPECT_EQ(m_heap->usable_size(pointer), usable);
        EXPECT_TRUE(aligned_to(pointer, usable)) << size;
        fill(pointer, size, 9);
        EXPECT_TRUE(intact(pointer, size, 9));
        m_heap->free(pointer);
    }
    EXPECT_EQ(m_heap->stats().live_allocations, 0u);
}

TEST_F(HeapAllocTest, LargeAllocationsComeFromThePageSourceAndGoBack)
{
    usize before = m_source.pages_out();
    void* three = m_heap->allocate(3 * MiB);
    void* odd = m_heap->allocate(MiB + 1);
    ASSERT_NE(three, nullptr);
    ASSERT_NE(odd, nullptr);
    EXPECT_EQ(m_heap->usable_size(three), 3 * MiB);
    EXPECT_EQ(m_heap->usable_size(odd), MiB + PAGE_SIZE);
    fill(three, 3 * MiB, 1);
    fill(odd, MiB + 1, 2);
    HeapStats stats = m_heap->stats();
    EXPECT_EQ(stats.large_allocations, 2u);
    EXPECT_EQ(stats.allocated_bytes, 4 * MiB + PAGE_SIZE);
    EXPECT_EQ(m_source.pages_out(), stats.pages);
    EXPECT_TRUE(intact(three, 3 * MiB, 1));
    EXPECT_TRUE(intact(odd, MiB + 1, 2));
    m_heap->free(three);
    m_heap->free(odd);
    EXPECT_EQ(m_heap->stats().large_allocations, 0u);
    // Only the zone holding the records is left.
    EXPECT_LE(m_source.pages_out(), before + HEAP_GROW_BYTES / PAGE_SIZE);
    EXPECT_EQ(m_source.bad_frees(), 0u);
}

TEST_F(HeapAllocTest, AlignedAllocationHonoursEveryPowerOfTwo)
{
    for (usize alignment = 1; alignment <= 4 * MiB; alignment *= 2) {
        for (usize size : { usize(1), usize(24), usize(100), usize(3000), usize(5000), usize(70000), 2 * MiB }) {
            void* pointer = m_heap->allocate_aligned(size, alignment);
            ASSERT_NE(pointer, nullptr) << size << " @ " << alignment;
            EXPECT_TRUE(aligned_to(pointer, alignment)) << size << " @ " << alignment;
            EXPECT_GE(m_heap->usable_size(pointer), size);
            fill(pointer, size, 3);
            EXPECT_TRUE(intact(pointer, size, 3));
            m_heap->free(pointer);
        }
    }
    EXPECT_EQ(m_heap->stats().live_allocations, 0u);
    EXPECT_EQ(m_heap->stats().large_allocations, 0u);
}

TEST_F(HeapAllocTest, AlignedAllocationRejectsBadAlignments)
{
    for (usize alignment : { usize(0), usize(3), usize(48), usize(4097), HEAP_MAX_ALIGNMENT * 2 })
        EXPECT_EQ(m_heap->allocate_aligned(64, alignment), nullptr) << alignment;
    EXPECT_EQ(m_heap->stats().failed_allocations, 5u);
    EXPECT_EQ(m_heap->stats().live_allocations, 0u);
}

TEST_F(HeapAllocTest, ReallocGrowsAndShrinksKeepingContent)
{
    usize sizes[] = { 10, 100, 2000, 5000, 300000, 3 * MiB, 700000, 4000, 300, 17, 1 };
    void* pointer = m_heap->reallocate(nullptr, 5);
    ASSERT_NE(pointer, nullptr);
    fill(pointer, 5, 77);
    usize kept = 5;
    for (usize size : sizes) {
        void* resized = m_heap->reallocate(pointer, size);
        ASSERT_NE(resized, nullptr) << size;
        EXPECT_TRUE(intact(resized, min(kept, size), 77)) << kept << " -> " << size;
        EXPECT_GE(m_heap->usable_size(resized), size);
        if (resized != pointer)
            EXPECT_EQ(m_heap->usable_size(pointer), 0u); // the old block was freed
        fill(resized, size, 77);
        pointer = resized;
        kept = size;
        EXPECT_EQ(m_heap->stats().live_allocations, 1u);
    }
    // Shrinking a little stays in place.
    void* same = m_heap->reallocate(pointer, 1);
    EXPECT_EQ(same, pointer);
    EXPECT_EQ(m_heap->reallocate(same, 0), nullptr);
    HeapStats stats = m_heap->stats();
    EXPECT_EQ(stats.live_allocations, 0u);
    EXPECT_EQ(stats.allocated_bytes, 0u);
    EXPECT_EQ(stats.failed_allocations, 0u);
}

TEST_F(HeapAllocTest, CallocZeroesAndRejectsOverflow)
{
    for (usize size : { usize(64), usize(3000), usize(40000), 2 * MiB }) {
        // Dirty the memory first so that zeroes must come from kcalloc.
        void* dirty = m_heap->allocate(size);
        ASSERT_NE(dirty, nullptr);
        std::memset(dirty, 0xee, size);
        m_heap->free(dirty);
        auto* zeroed = static_cast<u8*>(m_heap->allocate_zeroed(size / 8, 8));
        ASSERT_NE(zeroed, nullptr);
        for (usize i = 0; i < size; ++i)
            ASSERT_EQ(zeroed[i], 0) << size << " at " << i;
        m_heap->free(zeroed);
    }
    EXPECT_EQ(m_heap->allocate_zeroed(~usize(0) / 2 + 1, 2), nullptr);
    EXPECT_EQ(m_heap->allocate_zeroed(usize(1) << 33, usize(1) << 33), nullptr);
    EXPECT_EQ(m_heap->stats().failed_allocations, 2u);
    void* nothing = m_heap->allocate_zeroed(0, 100);
    EXPECT_NE(nothing, nullptr);
    m_heap->free(nothing);
}

TEST_F(HeapAllocTest, HugeRequestsFailCleanly)
{
    EXPECT_EQ(m_heap->allocate(~usize(0)), nullptr);
    EXPECT_EQ(m_heap->allocate(HEAP_MAX_ALLOCATION + 1), nullptr);
    EXPECT_EQ(m_heap->allocate_aligned(~usize(0) - 100, 4096), nullptr);
    EXPECT_EQ(m_heap->stats().failed_allocations, 3u);
    void* pointer = m_heap->allocate(64);
    EXPECT_NE(pointer, nullptr);
    m_heap->free(pointer);
}

TEST_F(HeapAllocTest, StatisticsFollowAllocations)
{
    void* small = m_heap->allocate(40);   // 64
    void* medium = m_heap->allocate(150); // 192
    void* page = m_heap->allocate(9000);  // 16 KiB block
    HeapStats stats = m_heap->stats();
    EXPECT_EQ(stats.allocated_bytes, 64u + 192u + 16384u);
    EXPECT_EQ(stats.live_allocations, 3u);
    EXPECT_EQ(stats.total_allocations, 3u);
    EXPECT_EQ(stats.zones, 1u);
    EXPECT_EQ(stats.pages, HEAP_GROW_BYTES / PAGE_SIZE);
    EXPECT_EQ(stats.pages, m_source.pages_out());
    // 1 metadata page, one slab page each for 64 and 192, 4 pages for 16 KiB.
    EXPECT_EQ(stats.free_pages, 512u - 1 - 1 - 1 - 4);
    EXPECT_EQ(stats.caches[2].object_size, 64u);
    EXPECT_EQ(stats.caches[2].objects_in_use, 1u);
    EXPECT_EQ(stats.caches[5].object_size, 192u);
    EXPECT_EQ(stats.caches[5].objects_in_use, 1u);
    m_heap->free(small);
    m_heap->free(medium);
    m_heap->free(page);
    stats = m_heap->stats();
    EXPECT_EQ(stats.allocated_bytes, 0u);
    EXPECT_EQ(stats.live_allocations, 0u);
    EXPECT_EQ(stats.total_frees, 3u);
    EXPECT_EQ(stats.free_pages, 512u - 1 - 1 - 1); // each cache keeps one empty slab
}

TEST(HeapUninitialized, FailsEveryAllocation)
{
    auto heap = std::make_unique<Heap>();
    EXPECT_EQ(heap->allocate(16), nullptr);
    EXPECT_EQ(heap->allocate(10 * MiB), nullptr);
    EXPECT_EQ(heap->stats().failed_allocations, 2u);
    int local;
    heap->free(&local); // reported, but there is no hook yet
    EXPECT_EQ(heap->stats().invalid_frees, 1u);
}
