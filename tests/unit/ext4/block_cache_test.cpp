// The buffer cache: hits and misses, LRU eviction, write-back order, error
// propagation and read-ahead, against a memory disk that logs requests.
#include "Ext4TestSupport.h"
#include <fs/block/BlockCache.h>

namespace {

using ext4_test::MemoryDevice;

constexpr u32 BLOCK = 1024;
constexpr u64 SECTORS_PER_BLOCK = BLOCK / 512;

struct CacheTest : ::testing::Test {
    void SetUp() override
    {
        device = adopt_ref(*new MemoryDevice(64 * SECTORS_PER_BLOCK));
        for (u64 block = 0; block < 64; ++block)
            device->bytes()[block * BLOCK] = u8(block);
    }
    OwnPtr<block::BlockCache> make(usize capacity, u32 read_ahead = 0)
    {
        auto cache = block::BlockCache::try_create(*device, BLOCK, capacity, read_ahead);
        EXPECT_FALSE(cache.is_error());
        return cache.release_value();
    }
    usize reads() const
    {
        usize count = 0;
        for (auto& request : device->log)
            count += !request.write;
        return count;
    }
    std::vector<MemoryDevice::Request> writes() const
    {
        std::vector<MemoryDevice::Request> out;
        for (auto& request : device->log) {
            if (request.write)
                out.push_back(request);
        }
        return out;
    }
    RefPtr<MemoryDevice> device;
};

TEST_F(CacheTest, RejectsBadGeometry)
{
    EXPECT_TRUE(block::BlockCache::try_create(*device, 1000, 16).is_error());
    EXPECT_TRUE(block::BlockCache::try_create(*device, 256, 16).is_error());
    EXPECT_TRUE(block::BlockCache::try_create(*device, 1024, 2).is_error());
}

TEST_F(CacheTest, ReadsOnceThenHits)
{
    auto cache = make(8);
    for (int round = 0; round < 3; ++round) {
        auto handle = cache->read(5);
        ASSERT_FALSE(handle.is_error());
        EXPECT_EQ(handle.value().data()[0], 5);
    }
    EXPECT_EQ(reads(), 1u);
    EXPECT_EQ(cache->statistics().hits, 2u);
    EXPECT_EQ(cache->read(64).error().code(), EIO); // past the end
}

TEST_F(CacheTest, EvictsLeastRecentlyUsed)
{
    auto cache = make(4);
    for (u64 block = 0; block < 4; ++block)
        (void)cache->read(block * 2).release_value();
    (void)cache->read(0).release_value();  // 0 is now the most recent
    (void)cache->read(20).release_value(); // evicts 2
    usize before = reads();
    (void)cache->read(0).release_value();
    EXPECT_EQ(reads(), before);
    (void)cache->read(2).release_value();
    EXPECT_EQ(reads(), before + 1);
    EXPECT_LE(cache->cached_blocks(), 4u);
}

TEST_F(CacheTest, PinnedBlocksAreNotEvicted)
{
    auto cache = make(4);
    std::vector<block::BlockHandle> pins;
    for (u64 block = 0; block < 6; ++block)
        pins.push_back(cache->read(block).release_value());
    // Over capacity only while pinned; every pinned block kept its bytes.
    for (u64 block = 0; block < 6; ++block)
        EXPECT_EQ(pins[block].data()[0], u8(block));
    pins.clear();
    (void)cache->read(30).release_value();
    EXPECT_LE(cache->cached_blocks(), 6u);
}

TEST_F(CacheTest, WritesBackOnlyOnSyncInAscendingRuns)
{
    auto cache = make(16);
    for (u64 block : { 9, 3, 5, 2 }) {
        auto handle = cache->read(block).release_value();
        handle.data()[1] = 0xAA;
        handle.mark_dirty();
    }
    EXPECT_TRUE(writes().empty());
    EXPECT_EQ(cache->dirty_blocks(), 4u);
    ASSERT_FALSE(cache->sync().is_error());
    auto written = writes();
    ASSERT_EQ(written.size(), 3u);
    EXPECT_EQ(written[0].sector, 2 * SECTORS_PER_BLOCK);
    EXPECT_EQ(written[0].count, 2 * SECTORS_PER_BLOCK); // blocks 2 and 3 together
    EXPECT_EQ(written[1].sector, 5 * SECTORS_PER_BLOCK);
    EXPECT_EQ(written[2].sector, 9 * SECTORS_PER_BLOCK);
    EXPECT_EQ(device->flushes, 1);
    EXPECT_EQ(cache->dirty_blocks(), 0u);
    for (u64 block : { 2, 3, 5, 9 })
        EXPECT_EQ(device->bytes()[block * BLOCK + 1], 0xAA);
    // Nothing dirty: a second sync writes nothing.
    ASSERT_FALSE(cache->sync().is_error());
    EXPECT_EQ(writes().size(), 3u);
}

TEST_F(CacheTest, EvictingADirtyBlockWritesItFirst)
{
    auto cache = make(4);
    {
        auto handle = cache->read(1).release_value();
        handle.data()[2] = 0x55;
        handle.mark_dirty();
    }
    for (u64 block = 10; block < 14; ++block)
        (void)cache->read(block).release_value();
    EXPECT_EQ(device->bytes()[1 * BLOCK + 2], 0x55);
    auto again = cache->read(1).release_value();
    EXPECT_EQ(again.data()[2], 0x55);
}

TEST_F(CacheTest, OverwriteSkipsTheRead)
{
    auto cache = make(8);
    auto handle = cache->overwrite(7).release_value();
    EXPECT_EQ(handle.data()[0], 0);
    EXPECT_EQ(reads(), 0u);
    EXPECT_EQ(cache->dirty_blocks(), 1u);
}

TEST_F(CacheTest, ReadErrorsPropagateAndCacheNothing)
{
    auto cache = make(8);
    device->fail_reads = true;
    EXPECT_EQ(cache->read(3).error().code(), EIO);
    EXPECT_EQ(cache->cached_blocks(), 0u);
    device->fail_reads = false;
    auto handle = cache->read(3);
    ASSERT_FALSE(handle.is_error());
    EXPECT_EQ(handle.value().data()[0], 3);
}

TEST_F(CacheTest, WriteErrorsKeepBlocksDirty)
{
    auto cache = make(8);
    {
        auto handle = cache->read(4).release_value();
        handle.data()[3] = 0x77;
        handle.mark_dirty();
    }
    device->fail_writes = true;
    EXPECT_EQ(cache->sync().error().code(), EIO);
    EXPECT_EQ(cache->dirty_blocks(), 1u);
    device->fail_writes = false;
    ASSERT_FALSE(cache->sync().is_error());
    EXPECT_EQ(cache->dirty_blocks(), 0u);
    EXPECT_EQ(device->bytes()[4 * BLOCK + 3], 0x77);
}

TEST_F(CacheTest, EvictionWriteErrorFailsTheRead)
{
    auto cache = make(4);
    for (u64 block = 0; block < 4; ++block) {
        auto handle = cache->read(block).release_value();
        handle.mark_dirty();
    }
    device->fail_writes = true;
    EXPECT_EQ(cache->read(20).error().code(), EIO);
    device->fail_writes = false;
    EXPECT_FALSE(cache->read(20).is_error());
}

TEST_F(CacheTest, SequentialReadsReadAhead)
{
    auto cache = make(32, 8);
    (void)cache->read(0).release_value();
    (void)cache->read(1).release_value(); // sequential: blocks 2..9 come in one request
    usize after_window = reads();
    EXPECT_EQ(after_window, 3u);
    EXPECT_EQ(device->log.back().sector, 2 * SECTORS_PER_BLOCK);
    EXPECT_EQ(device->log.back().count, 8 * SECTORS_PER_BLOCK);
    for (u64 block = 2; block < 10; ++block) {
        auto handle = cache->read(block).release_value();
        EXPECT_EQ(handle.data()[0], u8(block));
    }
    EXPECT_EQ(reads(), after_window);
    EXPECT_EQ(cache->statistics().blocks_read_ahead, 8u);
    // The next miss continues the sequence.
    (void)cache->read(10).release_value();
    EXPECT_EQ(cache->statistics().blocks_read_ahead, 16u);
}

TEST_F(CacheTest, RandomReadsDoNotReadAhead)
{
    auto cache = make(32, 8);
    for (u64 block : { 5, 20, 7, 40 })
        (void)cache->read(block).release_value();
    EXPECT_EQ(cache->statistics().blocks_read_ahead, 0u);
    EXPECT_EQ(reads(), 4u);
}

TEST_F(CacheTest, DropCleanKeepsDirtyBlocks)
{
    auto cache = make(16);
    (void)cache->read(1).release_value();
    {
        auto handle = cache->read(2).release_value();
        handle.mark_dirty();
    }
    cache->drop_clean();
    EXPECT_EQ(cache->cached_blocks(), 1u);
    EXPECT_EQ(cache->dirty_blocks(), 1u);
}

} // namespace
