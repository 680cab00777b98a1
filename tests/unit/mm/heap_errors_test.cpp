// Tests of kernel/mm/Heap under misuse and pressure: invalid and double frees
// are reported with their caller and change nothing; exhaustion fails cleanly
// and the heap recovers after frees.
#include "heap_test_support.h"
#include <algorithm>
#include <gtest/gtest.h>

using namespace mm;
using heap_test::TestPageSource;

namespace {

int g_global_variable;

const void* const s_caller = reinterpret_cast<const void*>(0xc0ffee);

class HeapErrorsTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        heap_test::take_reports();
        m_heap->initialize(m_source, heap_test::record_report);
        // Live allocations in every path, whose contents must survive.
        m_small = static_cast<u8*>(m_heap->allocate(64));
        m_page = static_cast<u8*>(m_heap->allocate(8192));
        m_large = static_cast<u8*>(m_heap->allocate(3 * MiB));
        ASSERT_TRUE(m_small && m_page && m_large);
        std::memset(m_small, 0x11, 64);
        std::memset(m_page, 0x22, 8192);
        std::memset(m_large, 0x33, 3 * MiB);
    }

    void TearDown() override
    {
        m_heap->free(m_small);
        m_heap->free(m_page);
        m_heap->free(m_large);
        EXPECT_EQ(m_heap->stats().live_allocations, 0u);
    }

    static bool filled(const u8* bytes, usize size, u8 value)
    {
        for (usize i = 0; i < size; ++i) {
            if (bytes[i] != value)
                return false;
        }
        return true;
    }

    // Frees `pointer` expecting exactly one report of `error` and no other effect.
    void expect_refused(void* pointer, FreeError error)
    {
        HeapStats before = m_heap->stats();
        m_heap->free(pointer, s_caller);
        auto reports = heap_test::take_reports();
        ASSERT_EQ(reports.size(), 1u) << pointer;
        EXPECT_EQ(reports[0].error, error) << pointer;
        EXPECT_EQ(reports[0].pointer, pointer);
        EXPECT_EQ(reports[0].caller, s_caller);
        HeapStats after = m_heap->stats();
        EXPECT_EQ(after.invalid_frees, before.invalid_frees + 1);
        EXPECT_EQ(after.allocated_bytes, before.allocated_bytes);
        EXPECT_EQ(after.live_allocations, before.live_allocations);
        EXPECT_EQ(after.total_frees, before.total_frees);
        EXPECT_EQ(after.free_pages, before.free_pages);
        EXPECT_EQ(after.pages, before.pages);
        for (usize i = 0; i < HEAP_CACHE_COUNT; ++i)
            EXPECT_EQ(after.caches[i].objects_in_use, before.caches[i].objects_in_use);
        EXPECT_TRUE(filled(m_small, 64, 0x11));
        EXPECT_TRUE(filled(m_page, 8192, 0x22));
        EXPECT_TRUE(filled(m_large, 3 * MiB, 0x33));
    }

    TestPageSource m_source { TestPageSource::UNLIMITED, 0 };
    std::unique_ptr<Heap> m_heap { std::make_unique<Heap>() };
    u8* m_small { nullptr };
    u8* m_page { nullptr };
    u8* m_large { nullptr };
};

} // namespace

TEST_F(HeapErrorsTest, InteriorPointersAreRefused)
{
    expect_refused(m_small + 8, FreeError::InteriorPointer);
    expect_refused(m_small + 63, FreeError::InteriorPointer);
    expect_refused(m_page + 16, FreeError::InteriorPointer);
    expect_refused(m_page + PAGE_SIZE, FreeError::InteriorPointer);
    expect_refused(m_large + PAGE_SIZE, FreeError::InteriorPointer);
    expect_refused(m_large + 3 * MiB - 1, FreeError::InteriorPointer);
}

TEST_F(HeapErrorsTest, ForeignPointersAreRefused)
{
    int on_stack = 0;
    expect_refused(&on_stack, FreeError::NotHeapMemory);
    expect_refused(&g_global_variable, FreeError::NotHeapMemory);
    auto host = std::make_unique<u8[]>(64);
    expect_refused(host.get(), FreeError::NotHeapMemory);
    // The zone's own header and page descriptors.
    u8* zone = m_source.run_containing(m_small);
    ASSERT_NE(zone, nullptr);
    expect_refused(zone, FreeError::NotHeapMemory);
    expect_refused(zone + 100, FreeError::NotHeapMemory);
}

TEST_F(HeapErrorsTest, NeverAllocatedHeapMemoryIsRefused)
{
    // The object after m_small in its fresh slab was never handed out.
    expect_refused(m_small + 64, FreeError::DoubleFree);
    // A page of the zone that is still in a free buddy block (the zone is
    // 2 MiB aligned, so the first 5 pages after the metadata are all in use).
    u8* free_page = m_source.run_containing(m_small) + 300 * PAGE_SIZE;
    ASSERT_EQ(m_heap->usable_size(free_page), 0u);
    expect_refused(free_page, FreeError::DoubleFree);
    expect_refused(free_page + 24, FreeError::DoubleFree);
}

TEST_F(HeapErrorsTest, DoubleFreesAreRefused)
{
    for (usize size : { usize(16), usize(96), usize(2048), usize(4096), usize(100000), 2 * MiB }) {
        void* pointer = m_heap->allocate(size);
        ASSERT_NE(pointer, nullptr);
        void* keep = m_heap->allocate(size); // so the slab or block stays in use
        ASSERT_NE(keep, nullptr);
        m_heap->free(pointer, s_caller);
        EXPECT_TRUE(heap_test::take_reports().empty());
        // A large allocation's run went back to the page source: unknown now.
        expect_refused(pointer, size > MiB ? FreeError::NotHeapMemory : FreeError::DoubleFree);
        m_heap->free(keep);
    }
}

TEST_F(HeapErrorsTest, ReallocOfABadPointerIsRefused)
{
    HeapStats before = m_heap->stats();
    EXPECT_EQ(m_heap->reallocate(m_small + 8, 200, s_caller), nullptr);
    auto reports = heap_test::take_reports();
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].error, FreeError::InteriorPointer);
    EXPECT_EQ(reports[0].caller, s_caller);
    EXPECT_EQ(m_heap->stats().live_allocations, before.live_allocations);
    EXPECT_TRUE(filled(m_small, 64, 0x11));
}

TEST_F(HeapErrorsTest, TheHeapStillWorksAfterRefusals)
{
    expect_refused(m_small + 8, FreeError::InteriorPointer);
    expect_refused(m_small + 64, FreeError::DoubleFree);
    std::vector<void*> pointers;
    for (int i = 0; i < 1000; ++i) {
        void* pointer = m_heap->allocate(64);
        ASSERT_NE(pointer, nullptr);
        EXPECT_NE(pointer, m_small);
        std::memset(pointer, 0x44, 64);
        pointers.push_back(pointer);
    }
    EXPECT_TRUE(filled(m_small, 64, 0x11));
    for (void* pointer : pointers)
        m_heap->free(pointer);
    EXPECT_TRUE(heap_test::take_reports().empty());
}

TEST(HeapExhaustion, FailsCleanlyAndRecovers)
{
    heap_test::take_reports();
    constexpr usize ZONES = 3;
    TestPageSource source(ZONES * HEAP_GROW_BYTES / PAGE_SIZE);
    auto heap = std::make_unique<Heap>();
    heap->initialize(source, heap_test::record_report);

    // Small objects until the budget is gone.
    std::vector<void*> small;
    while (void* pointer = heap->allocate(128))
        small.push_back(pointer);
    HeapStats stats = heap->stats();
    EXPECT_EQ(stats.failed_allocations, 1u);
    EXPECT_EQ(stats.zones, ZONES);
    EXPECT_EQ(small.size(), ZONES * 511 * 31); // every usable page a 31-object slab
    EXPECT_EQ(heap->allocate(5000), nullptr);
    EXPECT_EQ(heap->allocate(3 * MiB), nullptr); // beyond the budget, and no room for its record
    EXPECT_EQ(heap->stats().failed_allocations, 3u);

    // Free half: page-level allocations fit again, large ones still do not.
    for (usize i = 0; i < small.size(); i += 2)
        heap->free(small[i]);
    void* again = heap->allocate(128);
    EXPECT_NE(again, nullptr);
    heap->free(again);
    for (usize i = 1; i < small.size(); i += 2)
        heap->free(small[i]);
    EXPECT_EQ(heap->stats().live_allocations, 0u);

    // Everything free: a 1 MiB block and a few pages are available again.
    void* mib = heap->allocate(MiB);
    EXPECT_NE(mib, nullptr);
    void* pages = heap->allocate(20000);
    EXPECT_NE(pages, nullptr);
    heap->free(mib);
    heap->free(pages);
    EXPECT_TRUE(heap_test::take_reports().empty());
    EXPECT_EQ(heap->stats().live_allocations, 0u);
}

TEST(HeapExhaustion, LargeAllocationsRespectTheBudget)
{
    heap_test::take_reports();
    TestPageSource source(2048); // 8 MiB
    auto heap = std::make_unique<Heap>();
    heap->initialize(source, heap_test::record_report);
    void* first = heap->allocate(5 * MiB);
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(heap->allocate(5 * MiB), nullptr);
    heap->free(first);
    void* second = heap->allocate(5 * MiB);
    EXPECT_NE(second, nullptr);
    heap->free(second);
    EXPECT_TRUE(heap_test::take_reports().empty());
    EXPECT_EQ(source.bad_frees(), 0u);
}

TEST_F(HeapErrorsTest, AUseAfterFreeOfTheFreeListIsReportedAndRepaired)
{
    auto* a = static_cast<u8*>(m_heap->allocate(256));
    auto* b = static_cast<u8*>(m_heap->allocate(256));
    auto* c = static_cast<u8*>(m_heap->allocate(256));
    ASSERT_TRUE(a && b && c);
    m_heap->free(b);
    std::memset(b, 0x5a, 256); // written after free: the free-list link is gone
    void* next = m_heap->allocate(256, s_caller);
    ASSERT_NE(next, nullptr);
    auto reports = heap_test::take_reports();
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].error, FreeError::CorruptMetadata);
    EXPECT_EQ(reports[0].caller, s_caller);
    // Every object handed out afterwards is a real, distinct, unused one.
    std::vector<void*> more;
    for (int i = 0; i < 40; ++i) {
        void* pointer = m_heap->allocate(256);
        ASSERT_NE(pointer, nullptr);
        EXPECT_NE(reinterpret_cast<uptr>(pointer), 0x5a5a5a5a5a5a5a5au);
        EXPECT_TRUE(pointer != a && pointer != c && pointer != next);
        EXPECT_EQ(m_heap->usable_size(pointer), 256u);
        more.push_back(pointer);
    }
    std::sort(more.begin(), more.end());
    EXPECT_EQ(std::adjacent_find(more.begin(), more.end()), more.end());
    for (void* pointer : more)
        m_heap->free(pointer);
    m_heap->free(a);
    m_heap->free(c);
    m_heap->free(next);
    EXPECT_TRUE(heap_test::take_reports().empty());
}
