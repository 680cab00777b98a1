// Tests of kernel/mm/BuddyAllocator: zone carving, alignment, split and merge,
// validation of frees, lookups.
#include "heap_test_support.h"
#include <algorithm>
#include <gtest/gtest.h>
#include <random>

using namespace mm;
using heap_test::address;
using heap_test::aligned_to;

namespace {

// 2 MiB-aligned host memory; `offset_pages` moves the zone off the boundary.
struct Memory {
    explicit Memory(usize bytes, usize offset_pages = 0)
        : allocation(static_cast<u8*>(
            std::aligned_alloc(HUGE_PAGE_SIZE, align_up(bytes + offset_pages * PAGE_SIZE, HUGE_PAGE_SIZE))))
        , base(allocation + offset_pages * PAGE_SIZE)
        , bytes(bytes)
    {
    }
    ~Memory() { std::free(allocation); }
    u8* allocation;
    u8* base;
    usize bytes;
};

usize free_block_total(const BuddyStats& stats)
{
    usize pages = 0;
    for (usize order = 0; order < BUDDY_ORDER_COUNT; ++order)
        pages += stats.free_blocks[order] << order;
    return pages;
}

} // namespace

TEST(BuddyAllocator, OrderForBytes)
{
    EXPECT_EQ(BuddyAllocator::order_for_bytes(1), 0);
    EXPECT_EQ(BuddyAllocator::order_for_bytes(PAGE_SIZE), 0);
    EXPECT_EQ(BuddyAllocator::order_for_bytes(PAGE_SIZE + 1), 1);
    EXPECT_EQ(BuddyAllocator::order_for_bytes(MiB), 8);
    EXPECT_EQ(BuddyAllocator::order_for_bytes(2 * MiB), 9);
    EXPECT_EQ(BuddyAllocator::order_for_bytes(2 * MiB + 1), BUDDY_ORDER_COUNT);
}

TEST(BuddyAllocator, RejectsBadZones)
{
    Memory memory(4 * MiB);
    auto buddy = std::make_unique<BuddyAllocator>();
    EXPECT_TRUE(buddy->add_zone(nullptr, 2 * MiB).is_error());
    EXPECT_TRUE(buddy->add_zone(memory.base + 8, 2 * MiB).is_error());
    EXPECT_TRUE(buddy->add_zone(memory.base, PAGE_SIZE).is_error()); // only room for metadata
    ASSERT_FALSE(buddy->add_zone(memory.base, 2 * MiB).is_error());
    EXPECT_TRUE(buddy->add_zone(memory.base + MiB, 2 * MiB).is_error()); // overlaps
    EXPECT_TRUE(buddy->add_zone(memory.base, 2 * MiB).is_error());
    EXPECT_EQ(buddy->stats().zones, 1u);
    EXPECT_FALSE(buddy->add_zone(memory.base + 2 * MiB, 2 * MiB).is_error());
    EXPECT_EQ(buddy->stats().zones, 2u);
}

TEST(BuddyAllocator, AlignedZoneGivesTwoMegabyteBlocks)
{
    Memory memory(4 * MiB);
    auto buddy = std::make_unique<BuddyAllocator>();
    ASSERT_FALSE(buddy->add_zone(memory.base, 4 * MiB).is_error());
    BuddyStats stats = buddy->stats();
    EXPECT_EQ(stats.total_pages, 1024u);
    EXPECT_EQ(stats.metadata_pages, 2u); // 32-byte header + 1024 4-byte descriptors
    EXPECT_EQ(stats.free_pages, 1022u);
    EXPECT_EQ(free_block_total(stats), 1022u);
    EXPECT_EQ(stats.free_blocks[9], 1u);

    u8* big = buddy->allocate(9, OWNER_PAGES);
    ASSERT_NE(big, nullptr);
    EXPECT_EQ(big, memory.base + 2 * MiB);
    EXPECT_TRUE(aligned_to(big, 2 * MiB));
    EXPECT_EQ(buddy->allocate(9, OWNER_PAGES), nullptr);
    EXPECT_EQ(buddy->free(big, OWNER_PAGES).status, BlockStatus::Done);
    EXPECT_EQ(buddy->stats().free_blocks[9], 1u);
}

TEST(BuddyAllocator, BlocksAreAlignedToTheirSizeInMisalignedZones)
{
    for (usize offset : { 1, 3, 17, 255 }) {
        Memory memory(2 * MiB, offset);
        auto buddy = std::make_unique<BuddyAllocator>();
        ASSERT_FALSE(buddy->add_zone(memory.base, 2 * MiB).is_error());
        // A 2 MiB zone minus its metadata page always holds an aligned 1 MiB block.
        u8* mib = buddy->allocate(8, OWNER_PAGES);
        ASSERT_NE(mib, nullptr) << "offset " << offset;
        EXPECT_TRUE(aligned_to(mib, MiB));
        std::vector<std::pair<u8*, u8>> blocks;
        for (;;) {
            u8 order = static_cast<u8>(blocks.size() % 4);
            u8* block = buddy->allocate(order, OWNER_PAGES);
            if (!block && !(block = buddy->allocate(order = 0, OWNER_PAGES)))
                break;
            EXPECT_TRUE(aligned_to(block, PAGE_SIZE << order));
            EXPECT_GE(address(block), address(memory.base) + PAGE_SIZE);
            EXPECT_LE(address(block) + (PAGE_SIZE << order), address(memory.base) + 2 * MiB);
            blocks.push_back({ block, order });
        }
        EXPECT_EQ(buddy->stats().free_pages, 0u);
        for (auto [block, order] : blocks)
            EXPECT_EQ(buddy->free(block, OWNER_PAGES).order, order);
        EXPECT_EQ(buddy->free(mib, OWNER_PAGES).status, BlockStatus::Done);
        EXPECT_EQ(buddy->stats().free_pages, 511u);
    }
}

TEST(BuddyAllocator, SplitsAndMergesBackToTheInitialBlocks)
{
    Memory memory(4 * MiB, 5);
    auto buddy = std::make_unique<BuddyAllocator>();
    ASSERT_FALSE(buddy->add_zone(memory.base, 4 * MiB).is_error());
    BuddyStats initial = buddy->stats();

    std::vector<u8*> pages;
    while (u8* page = buddy->allocate(0, OWNER_PAGES)) {
        *reinterpret_cast<u64*>(page) = pages.size();
        pages.push_back(page);
    }
    EXPECT_EQ(pages.size(), initial.free_pages);
    std::sort(pages.begin(), pages.end());
    EXPECT_EQ(std::adjacent_find(pages.begin(), pages.end()), pages.end());

    std::mt19937 random(7);
    std::shuffle(pages.begin(), pages.end(), random);
    for (u8* page : pages)
        ASSERT_EQ(buddy->free(page, OWNER_PAGES).status, BlockStatus::Done);
    BuddyStats after = buddy->stats();
    EXPECT_EQ(after.free_pages, initial.free_pages);
    for (usize order = 0; order < BUDDY_ORDER_COUNT; ++order)
        EXPECT_EQ(after.free_blocks[order], initial.free_blocks[order]) << "order " << order;
}

TEST(BuddyAllocator, RefusesBadFreesAndChangesNothing)
{
    Memory memory(2 * MiB);
    auto buddy = std::make_unique<BuddyAllocator>();
    ASSERT_FALSE(buddy->add_zone(memory.base, 2 * MiB).is_error());
    u8* block = buddy->allocate(2, OWNER_PAGES);
    ASSERT_NE(block, nullptr);
    BuddyStats before = buddy->stats();
    int local = 0;

    EXPECT_EQ(buddy->free(block + 16, OWNER_PAGES).status, BlockStatus::InteriorPointer);
    EXPECT_EQ(buddy->free(block + PAGE_SIZE, OWNER_PAGES).status, BlockStatus::InteriorPointer);
    EXPECT_EQ(buddy->free(reinterpret_cast<u8*>(&local), OWNER_PAGES).status, BlockStatus::NotHeapMemory);
    EXPECT_EQ(buddy->free(memory.base, OWNER_PAGES).status, BlockStatus::NotHeapMemory); // metadata
    EXPECT_EQ(buddy->free(block, 3).status, BlockStatus::WrongOwner);
    u8* never = block == memory.base + 4 * PAGE_SIZE ? memory.base + 64 * PAGE_SIZE : memory.base + 4 * PAGE_SIZE;
    EXPECT_EQ(buddy->free(never, OWNER_PAGES).status, BlockStatus::AlreadyFree);

    BuddyStats unchanged = buddy->stats();
    EXPECT_EQ(unchanged.free_pages, before.free_pages);
    for (usize order = 0; order < BUDDY_ORDER_COUNT; ++order)
        EXPECT_EQ(unchanged.free_blocks[order], before.free_blocks[order]);

    EXPECT_EQ(buddy->free(block, OWNER_PAGES).status, BlockStatus::Done);
    EXPECT_EQ(buddy->free(block, OWNER_PAGES).status, BlockStatus::AlreadyFree);
    EXPECT_EQ(buddy->stats().free_pages, 511u);
}

TEST(BuddyAllocator, LookupFindsTheHeadAndOwner)
{
    Memory memory(2 * MiB);
    auto buddy = std::make_unique<BuddyAllocator>();
    ASSERT_FALSE(buddy->add_zone(memory.base, 2 * MiB).is_error());
    u8* block = buddy->allocate(3, 7);
    ASSERT_NE(block, nullptr);

    BlockLookup inside = buddy->lookup(block + 5 * PAGE_SIZE + 123);
    EXPECT_EQ(inside.kind, BlockLookup::Kind::Allocated);
    EXPECT_EQ(inside.block, block);
    EXPECT_EQ(inside.order, 3);
    EXPECT_EQ(inside.owner, 7);
    EXPECT_EQ(buddy->lookup(memory.base + 100).kind, BlockLookup::Kind::Metadata);
    EXPECT_EQ(buddy->lookup(memory.base + 2 * MiB).kind, BlockLookup::Kind::NotInHeap);

    EXPECT_FALSE(buddy->set_owner(block + PAGE_SIZE, 7, 9));
    EXPECT_FALSE(buddy->set_owner(block, 8, 9));
    EXPECT_TRUE(buddy->set_owner(block, 7, 9));
    EXPECT_EQ(buddy->lookup(block).owner, 9);
    EXPECT_EQ(buddy->free(block, 9).status, BlockStatus::Done);
    EXPECT_EQ(buddy->lookup(block).kind, BlockLookup::Kind::Free);
}

TEST(BuddyAllocator, RandomOrdersNeverOverlapAndKeepContents)
{
    Memory memory(8 * MiB, 3);
    auto buddy = std::make_unique<BuddyAllocator>();
    ASSERT_FALSE(buddy->add_zone(memory.base, 4 * MiB).is_error());
    ASSERT_FALSE(buddy->add_zone(memory.base + 4 * MiB, 4 * MiB).is_error());
    usize initial_free = buddy->stats().free_pages;

    struct Live {
        u8 order;
        u64 id;
    };
    std::map<u8*, Live> live;
    std::mt19937_64 random(42);
    for (u64 step = 0; step < 20000; ++step) {
        if (live.empty() || random() % 3 != 0) {
            u8 order = static_cast<u8>(random() % 6);
            u8* block = buddy->allocate(order, OWNER_PAGES);
            if (!block)
                continue;
            ASSERT_TRUE(aligned_to(block, PAGE_SIZE << order));
            auto next = live.lower_bound(block);
            if (next != live.end())
                ASSERT_LE(address(block) + (PAGE_SIZE << order), address(next->first));
            if (next != live.begin()) {
                auto previous = std::prev(next);
                ASSERT_LE(address(previous->first) + (PAGE_SIZE << previous->second.order), address(block));
            }
            for (usize page = 0; page < (usize(1) << order); ++page)
                reinterpret_cast<u64*>(block + page * PAGE_SIZE)[1] = step ^ page;
            live[block] = { order, step };
        } else {
            auto it = std::next(live.begin(), static_cast<long>(random() % live.size()));
            for (usize page = 0; page < (usize(1) << it->second.order); ++page)
                ASSERT_EQ(reinterpret_cast<u64*>(it->first + page * PAGE_SIZE)[1], it->second.id ^ page);
            BlockFreeResult result = buddy->free(it->first, OWNER_PAGES);
            ASSERT_EQ(result.status, BlockStatus::Done);
            ASSERT_EQ(result.order, it->second.order);
            live.erase(it);
        }
    }
    for (auto& [block, info] : live)
        ASSERT_EQ(buddy->free(block, OWNER_PAGES).status, BlockStatus::Done);
    EXPECT_EQ(buddy->stats().free_pages, initial_free);
}
