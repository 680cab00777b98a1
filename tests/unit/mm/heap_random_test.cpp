// A long randomized run of kernel/mm/Heap checked against a reference model:
// no two live blocks overlap, every block's content (a pattern derived from
// its id) is intact when it is freed or resized, and the heap's statistics
// equal the model's. Then the same workload from several threads at once.
#include "heap_test_support.h"
#include <gtest/gtest.h>
#include <random>
#include <thread>

using namespace mm;
using heap_test::address;
using heap_test::aligned_to;
using heap_test::expected_usable;
using heap_test::TestPageSource;

namespace {

// The pattern covers the first 512 bytes, then every 97th byte, then the last
// one: enough to catch overlap and stray writes without a full scan of big blocks.
template<typename Visit>
void for_each_pattern_offset(usize size, Visit visit)
{
    for (usize i = 0; i < size; i = i < 512 ? i + 1 : i + 97)
        visit(i);
    if (size)
        visit(size - 1);
}

u8 pattern_byte(u64 id, usize offset)
{
    u64 mixed = (id + 1) * 0x9e3779b97f4a7c15ull;
    return static_cast<u8>((mixed >> ((offset % 8) * 8)) ^ (offset / 8));
}

void stamp(void* pointer, usize size, u64 id)
{
    auto* bytes = static_cast<u8*>(pointer);
    for_each_pattern_offset(size, [&](usize i) { bytes[i] = pattern_byte(id, i); });
}

// Checks the pattern of a block stamped with `size` bytes, up to `limit`.
bool stamped(const void* pointer, usize size, u64 id, usize limit = ~usize(0))
{
    auto* bytes = static_cast<const u8*>(pointer);
    bool good = true;
    for_each_pattern_offset(size, [&](usize i) { good = good && (i >= limit || bytes[i] == pattern_byte(id, i)); });
    return good;
}

struct Block {
    u64 id;
    usize size;
    usize usable;
};

usize random_size(std::mt19937_64& random)
{
    u64 pick = random() % 1000;
    if (pick < 700)
        return random() % 2049; // slab sizes, 0 included
    if (pick < 995)
        return 2049 + random() % (64 * KiB); // page blocks
    if (pick < 998)
        return 64 * KiB + random() % MiB;  // big page blocks
    return MiB + 1 + random() % (3 * MiB); // straight from the page source
}

class Model {
public:
    explicit Model(Heap& heap)
        : m_heap(heap)
    {
    }

    // `usable` 0: what a fresh allocation of `size` at `alignment` gets.
    // `counted`: false when a realloc kept the block (the heap counts nothing).
    void added(void* pointer, usize size, usize alignment, u64 id, usize usable = 0, bool counted = true)
    {
        ASSERT_NE(pointer, nullptr);
        ASSERT_TRUE(aligned_to(pointer, alignment)) << pointer << " alignment " << alignment;
        if (!usable)
            usable = expected_usable(size, alignment);
        ASSERT_EQ(m_heap.usable_size(pointer), usable) << "size " << size << " alignment " << alignment;
        auto next = m_blocks.lower_bound(pointer);
        if (next != m_blocks.end())
            ASSERT_LE(address(pointer) + usable, address(next->first)) << "overlaps the next block";
        if (next != m_blocks.begin()) {
            auto previous = std::prev(next);
            ASSERT_LE(address(previous->first) + previous->second.usable, address(pointer))
                << "overlaps the previous block";
        }
        stamp(pointer, size, id);
        m_blocks[pointer] = { id, size, usable };
        m_order.push_back(pointer);
        m_bytes += usable;
        m_allocations += counted;
    }

    // A random live block, unlinked from the model. Not counted as a free
    // until freed() says so (a realloc may keep the block).
    std::pair<void*, Block> take(std::mt19937_64& random)
    {
        usize index = random() % m_order.size();
        void* pointer = m_order[index];
        m_order[index] = m_order.back();
        m_order.pop_back();
        auto it = m_blocks.find(pointer);
        Block block = it->second;
        m_blocks.erase(it);
        m_bytes -= block.usable;
        return { pointer, block };
    }

    void freed() { ++m_frees; }

    void check_statistics() const
    {
        HeapStats stats = m_heap.stats();
        ASSERT_EQ(stats.live_allocations, m_blocks.size());
        ASSERT_EQ(stats.allocated_bytes, m_bytes);
        ASSERT_EQ(stats.total_allocations, m_allocations);
        ASSERT_EQ(stats.total_frees, m_frees);
        ASSERT_EQ(stats.failed_allocations, 0u);
        ASSERT_EQ(stats.invalid_frees, 0u);
        usize in_caches = 0;
        for (const SlabCacheStats& cache : stats.caches)
            in_caches += cache.objects_in_use;
        usize small = 0;
        for (auto& [pointer, block] : m_blocks)
            small += block.usable <= 2048;
        ASSERT_EQ(in_caches, small + stats.large_allocations); // each large one has a record
    }

    usize live() const { return m_order.size(); }
    bool empty() const { return m_order.empty(); }

private:
    Heap& m_heap;
    std::map<void*, Block> m_blocks;
    std::vector<void*> m_order;
    usize m_bytes { 0 };
    u64 m_allocations { 0 };
    u64 m_frees { 0 };
};

void run_model(Heap& heap, u64 seed, usize operations)
{
    Model model(heap);
    std::mt19937_64 random(seed);
    constexpr usize MAX_LIVE = 3000;
    for (u64 id = 0; id < operations; ++id) {
        u64 choice = random() % 100;
        if (model.empty() || (choice < 45 && model.live() < MAX_LIVE)) {
            usize size = random_size(random);
            u64 kind = random() % 10;
            if (kind < 7) {
                model.added(heap.allocate(size), size, 16, id);
            } else if (kind < 8) {
                usize alignment = usize(32) << (random() % 12); // 32 .. 64 KiB
                model.added(
                    heap.allocate_aligned(min(size, usize(MiB)), alignment), min(size, usize(MiB)), alignment, id);
            } else {
                usize count = random() % 16 + 1;
                usize each = size / count;
                auto* zeroed = static_cast<u8*>(heap.allocate_zeroed(count, each));
                ASSERT_NE(zeroed, nullptr);
                for_each_pattern_offset(count * each, [&](usize i) { ASSERT_EQ(zeroed[i], 0) << i; });
                model.added(zeroed, count * each, 16, id);
            }
        } else if (choice < 80) {
            auto [pointer, block] = model.take(random);
            ASSERT_TRUE(stamped(pointer, block.size, block.id)) << "block " << block.id << " damaged";
            heap.free(pointer);
            model.freed();
        } else {
            auto [pointer, block] = model.take(random);
            ASSERT_TRUE(stamped(pointer, block.size, block.id)) << "block " << block.id << " damaged";
            usize size = random_size(random) + 1;
            void* resized = heap.reallocate(pointer, size);
            ASSERT_NE(resized, nullptr);
            ASSERT_TRUE(stamped(resized, block.size, block.id, size)) << "realloc lost content";
            if (size <= block.usable && size > block.usable / 2)
                ASSERT_EQ(resized, pointer) << "a fitting realloc should stay in place";
            if (resized == pointer) {
                // Same block, same usable size.
                ASSERT_LE(size, block.usable);
                model.added(resized, size, 16, id, block.usable, false);
            } else {
                model.freed();
                model.added(resized, size, 16, id);
            }
        }
        if (id % 5000 == 0)
            model.check_statistics();
        if (::testing::Test::HasFatalFailure())
            return;
    }
    model.check_statistics();
    while (!model.empty()) {
        auto [pointer, block] = model.take(random);
        ASSERT_TRUE(stamped(pointer, block.size, block.id));
        heap.free(pointer);
        model.freed();
    }
    model.check_statistics();
}

} // namespace

class HeapRandomTest : public ::testing::TestWithParam<usize> { };

TEST_P(HeapRandomTest, MatchesTheReferenceModel)
{
    heap_test::take_reports();
    TestPageSource source(TestPageSource::UNLIMITED, GetParam());
    auto heap = std::make_unique<Heap>();
    heap->initialize(source, heap_test::record_report);
    run_model(*heap, 0x05b7e7 + GetParam(), 200000);
    EXPECT_TRUE(heap_test::take_reports().empty());
    HeapStats stats = heap->stats();
    EXPECT_EQ(stats.live_allocations, 0u);
    EXPECT_EQ(stats.large_allocations, 0u);
    EXPECT_EQ(stats.pages, source.pages_out());
    EXPECT_EQ(source.bad_frees(), 0u);
}

// NATURAL: wherever aligned_alloc puts runs; 0: on 2 MiB boundaries; 7: off them.
INSTANTIATE_TEST_SUITE_P(Placements, HeapRandomTest, ::testing::Values(TestPageSource::NATURAL, usize(0), usize(7)));

TEST(HeapConcurrency, ThreadsShareTheHeap)
{
    heap_test::take_reports();
    TestPageSource source;
    auto heap = std::make_unique<Heap>();
    heap->initialize(source, heap_test::record_report);
    constexpr int THREADS = 4;
    constexpr int OPERATIONS = 30000;
    std::vector<std::thread> threads;
    threads.reserve(THREADS);
    std::atomic<int> damaged { 0 };
    for (int t = 0; t < THREADS; ++t) {
        threads.emplace_back([&, t] {
            std::mt19937_64 random(1000 + t);
            std::vector<std::pair<void*, std::pair<u64, usize>>> live;
            for (u64 i = 0; i < OPERATIONS; ++i) {
                u64 id = (u64(t) << 32) | i;
                if (live.empty() || (random() % 2 && live.size() < 500)) {
                    usize size = random() % 3 ? random() % 2049 : 2049 + random() % (32 * KiB);
                    void* pointer = heap->allocate(size);
                    if (!pointer) {
                        ++damaged;
                        continue;
                    }
                    stamp(pointer, size, id);
                    live.push_back({ pointer, { id, size } });
                } else {
                    usize index = random() % live.size();
                    auto [pointer, block] = live[index];
                    live[index] = live.back();
                    live.pop_back();
                    if (!stamped(pointer, block.second, block.first))
                        ++damaged;
                    heap->free(pointer);
                }
            }
            for (auto& [pointer, block] : live) {
                if (!stamped(pointer, block.second, block.first))
                    ++damaged;
                heap->free(pointer);
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(damaged.load(), 0);
    EXPECT_TRUE(heap_test::take_reports().empty());
    HeapStats stats = heap->stats();
    EXPECT_EQ(stats.live_allocations, 0u);
    EXPECT_EQ(stats.allocated_bytes, 0u);
    EXPECT_EQ(stats.total_allocations, stats.total_frees);
    EXPECT_EQ(stats.failed_allocations, 0u);
}
