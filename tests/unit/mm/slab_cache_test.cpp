// Tests of kernel/mm/SlabCache on a BuddyAllocator: geometry, list handling,
// exact double-free detection, release of empty slabs, free-list repair.
#include "heap_test_support.h"
#include <gtest/gtest.h>
#include <set>

using namespace mm;
using heap_test::address;
using heap_test::aligned_to;

namespace {

constexpr u8 OWNER = 3;

class SlabCacheTest : public ::testing::TestWithParam<u32> {
protected:
    void SetUp() override
    {
        m_memory = static_cast<u8*>(std::aligned_alloc(PAGE_SIZE, 2 * MiB));
        ASSERT_FALSE(m_buddy->add_zone(m_memory, 2 * MiB).is_error());
        m_cache->initialize(GetParam(), OWNER);
    }
    void TearDown() override { std::free(m_memory); }

    // What the heap does when the cache is out of room.
    void* allocate()
    {
        SlabAllocation allocation = m_cache->try_allocate();
        EXPECT_EQ(allocation.corrupt_slab, nullptr);
        if (allocation.object)
            return allocation.object;
        u8* block = m_buddy->allocate(m_cache->slab_order(), OWNER_INTERNAL);
        if (!block)
            return nullptr;
        m_cache->prepare_slab(block);
        allocation = m_cache->add_slab_and_allocate(block, *m_buddy);
        EXPECT_EQ(allocation.corrupt_slab, nullptr);
        return allocation.object;
    }

    SlabFreeResult free(void* object)
    {
        SlabFreeResult result = m_cache->free(object, m_buddy->lookup(object), *m_buddy);
        if (result.release_block)
            EXPECT_EQ(m_buddy->free(result.release_block, OWNER_INTERNAL).status, BlockStatus::Done);
        return result;
    }

    u8* m_memory { nullptr };
    std::unique_ptr<BuddyAllocator> m_buddy { std::make_unique<BuddyAllocator>() };
    std::unique_ptr<SlabCache> m_cache { std::make_unique<SlabCache>() };
};

} // namespace

TEST_P(SlabCacheTest, GeometryWastesAtMostAnEighth)
{
    u32 size = GetParam();
    SlabCacheStats stats = m_cache->stats();
    usize slab_bytes = PAGE_SIZE << stats.slab_order;
    EXPECT_EQ(stats.object_size, size);
    EXPECT_GE(stats.alignment, 16u);
    EXPECT_EQ(size % stats.alignment, 0u);
    if (is_power_of_two(size) && size >= 16)
        EXPECT_EQ(stats.alignment, size);
    EXPECT_GE(stats.objects_per_slab, 1u);
    EXPECT_LE(stats.objects_per_slab, SlabCache::MAX_OBJECTS_PER_SLAB);
    EXPECT_LE((slab_bytes - usize(stats.objects_per_slab) * size) * 8, slab_bytes);
}

TEST_P(SlabCacheTest, FillsSlabsWithAlignedDistinctObjects)
{
    EXPECT_EQ(m_cache->try_allocate().object, nullptr); // no slab yet
    u32 per_slab = m_cache->stats().objects_per_slab;
    std::set<void*> objects;
    for (u32 i = 0; i < 3 * per_slab; ++i) {
        void* object = allocate();
        ASSERT_NE(object, nullptr);
        EXPECT_TRUE(aligned_to(object, m_cache->alignment()));
        EXPECT_TRUE(objects.insert(object).second);
        std::memset(object, static_cast<int>(i), GetParam());
        BlockLookup block = m_buddy->lookup(object);
        EXPECT_EQ(block.owner, OWNER);
        EXPECT_LE(address(object) + GetParam(), address(block.block) + (PAGE_SIZE << m_cache->slab_order()));
    }
    SlabCacheStats stats = m_cache->stats();
    EXPECT_EQ(stats.slabs, 3u);
    EXPECT_EQ(stats.objects_in_use, 3u * per_slab);
    EXPECT_EQ(m_cache->try_allocate().object, nullptr); // all full
    for (void* object : objects)
        EXPECT_EQ(free(object).status, SlabStatus::Done);
    stats = m_cache->stats();
    EXPECT_EQ(stats.objects_in_use, 0u);
    EXPECT_EQ(stats.slabs, SlabCache::EMPTY_SLAB_RESERVE); // the others went back
    EXPECT_EQ(stats.empty_slabs, SlabCache::EMPTY_SLAB_RESERVE);
    usize slab_pages = usize(1) << m_cache->slab_order();
    EXPECT_EQ(m_buddy->stats().free_pages, 511u - SlabCache::EMPTY_SLAB_RESERVE * slab_pages);
}

TEST_P(SlabCacheTest, DetectsDoubleAndInteriorFreesExactly)
{
    void* first = allocate();
    void* second = allocate();
    ASSERT_NE(first, nullptr);
    ASSERT_NE(second, nullptr);
    EXPECT_EQ(free(static_cast<u8*>(first) + 8).status, SlabStatus::InteriorPointer);
    EXPECT_EQ(free(first).status, SlabStatus::Done);
    EXPECT_EQ(free(first).status, SlabStatus::AlreadyFree);
    BlockLookup block = m_buddy->lookup(second);
    EXPECT_EQ(free(block.block).status, SlabStatus::InteriorPointer); // the slab header
    EXPECT_EQ(m_cache->check_live(second, block), SlabStatus::Done);
    EXPECT_EQ(m_cache->check_live(first, block), SlabStatus::AlreadyFree);
    EXPECT_EQ(m_cache->stats().objects_in_use, 1u);
    EXPECT_EQ(free(second).status, SlabStatus::Done);
    EXPECT_EQ(m_cache->stats().objects_in_use, 0u);
}

TEST_P(SlabCacheTest, RebuildsAFreeListOverwrittenAfterFree)
{
    void* a = allocate();
    void* b = allocate();
    void* c = allocate();
    ASSERT_TRUE(a && b && c);
    ASSERT_EQ(free(b).status, SlabStatus::Done);
    // A use after free scribbles over b's free-list link.
    *static_cast<u64*>(b) = 0x4141414141414141;
    SlabAllocation allocation = m_cache->try_allocate();
    EXPECT_NE(allocation.corrupt_slab, nullptr);
    ASSERT_NE(allocation.object, nullptr);
    EXPECT_EQ(m_buddy->lookup(allocation.object).block, m_buddy->lookup(a).block);
    EXPECT_NE(allocation.object, a);
    EXPECT_NE(allocation.object, c);
    EXPECT_EQ(m_cache->check_live(allocation.object, m_buddy->lookup(allocation.object)), SlabStatus::Done);
    // Later allocations are sane and distinct.
    std::set<void*> objects { a, c, allocation.object };
    for (int i = 0; i < 20; ++i) {
        void* object = allocate();
        ASSERT_NE(object, nullptr);
        EXPECT_NE(address(object), 0x4141414141414141u);
        EXPECT_TRUE(objects.insert(object).second);
    }
}

TEST_P(SlabCacheTest, RefusesABlockItDoesNotOwn)
{
    u8* pages = m_buddy->allocate(0, OWNER_PAGES);
    ASSERT_NE(pages, nullptr);
    EXPECT_EQ(m_cache->free(pages, m_buddy->lookup(pages), *m_buddy).status, SlabStatus::NotThisCache);
    EXPECT_EQ(m_buddy->lookup(pages).owner, OWNER_PAGES);
}

INSTANTIATE_TEST_SUITE_P(EveryHeapSize, SlabCacheTest, ::testing::ValuesIn(HEAP_CACHE_SIZES));
