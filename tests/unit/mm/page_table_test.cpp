// mm::PageTable over simulated physical memory: map/query/unmap at each page
// size, splits, flag changes, argument checks, table frame accounting and TLB
// invalidation.
#include "FakePageTableMemory.h"
#include <gtest/gtest.h>
#include <vector>

using mm::PageFlags;
using mm::PageSize;
using mm::PageTable;

namespace {

constexpr PageFlags RW = PageFlags::Present | PageFlags::Writable;
constexpr mm::PagingFeatures ALL_FEATURES { true, true };

struct Tables {
    explicit Tables(mm::PagingFeatures features = ALL_FEATURES, usize frames = 256)
        : memory(frames)
        , table(memory, PageTable::allocate_root(memory).value(), features)
    {
    }
    FakePageTableMemory memory;
    PageTable table;
};

u64 raw_entry(FakePageTableMemory& memory, PhysAddr table, usize index)
{
    return memory.table(table)[index];
}

} // namespace

TEST(PageTable, Map4KQueryUnmapFreesTables)
{
    Tables t;
    EXPECT_EQ(t.memory.tables_in_use(), 1u);
    ASSERT_FALSE(t.table.map(0x40000000, 0x1234000, RW | PageFlags::NoExecute).is_error());
    EXPECT_EQ(t.memory.tables_in_use(), 4u); // PML4, PDPT, PD, PT

    auto translation = t.table.query(0x40000abc);
    ASSERT_FALSE(translation.is_error());
    EXPECT_EQ(translation.value().physical, 0x1234abcu);
    EXPECT_EQ(translation.value().page_base, 0x40000000u);
    EXPECT_EQ(translation.value().size, PageSize::Size4K);
    EXPECT_EQ(translation.value().flags, RW | PageFlags::NoExecute);
    EXPECT_EQ(t.table.query(0x40001000).error().code(), ENOENT);

    ASSERT_FALSE(t.table.unmap(0x40000000, PAGE_SIZE).is_error());
    EXPECT_EQ(t.table.query(0x40000abc).error().code(), ENOENT);
    EXPECT_TRUE(t.memory.was_invalidated(0x40000000));
    EXPECT_EQ(t.memory.tables_in_use(), 1u) << "empty tables must be freed";
}

TEST(PageTable, Map2MAndUnmap)
{
    Tables t;
    ASSERT_FALSE(t.table.map(0x7f0000200000, 0x40000000, RW, PageSize::Size2M).is_error());
    EXPECT_EQ(t.memory.tables_in_use(), 3u);
    auto translation = t.table.query(0x7f00002abcde);
    ASSERT_FALSE(translation.is_error());
    EXPECT_EQ(translation.value().size, PageSize::Size2M);
    EXPECT_EQ(translation.value().physical, 0x400abcdeu);
    EXPECT_EQ(translation.value().page_base, 0x7f0000200000u);
    ASSERT_FALSE(t.table.unmap(0x7f0000200000, 2 * MiB).is_error());
    EXPECT_EQ(t.table.query(0x7f0000200000).error().code(), ENOENT);
    EXPECT_EQ(t.memory.tables_in_use(), 1u);
}

TEST(PageTable, Map1GOnlyWithTheFeature)
{
    Tables with;
    ASSERT_FALSE(with.table.map(GiB, 3 * GiB, RW, PageSize::Size1G).is_error());
    auto translation = with.table.query(GiB + 0x12345678);
    ASSERT_FALSE(translation.is_error());
    EXPECT_EQ(translation.value().size, PageSize::Size1G);
    EXPECT_EQ(translation.value().physical, 3 * GiB + 0x12345678);

    Tables without({ true, false });
    EXPECT_EQ(without.table.map(GiB, 3 * GiB, RW, PageSize::Size1G).error().code(), EINVAL);
    // map_range falls back to 2 MiB pages.
    ASSERT_FALSE(without.table.map_range(GiB, 3 * GiB, GiB, RW, PageSize::Size1G).is_error());
    EXPECT_EQ(without.table.query(GiB).value().size, PageSize::Size2M);
}

TEST(PageTable, Unmapping4KInside2MSplitsIt)
{
    Tables t;
    ASSERT_FALSE(t.table.map(0x600000, 0x1000000, RW | PageFlags::Global, PageSize::Size2M).is_error());
    t.memory.invalidations.clear();
    ASSERT_FALSE(t.table.unmap(0x605000, PAGE_SIZE).is_error());
    EXPECT_TRUE(t.memory.was_invalidated(0x600000)) << "the large TLB entry must go";
    EXPECT_TRUE(t.memory.was_invalidated(0x605000));
    EXPECT_EQ(t.table.query(0x605000).error().code(), ENOENT);
    for (VirtAddr page = 0x600000; page < 0x800000; page += PAGE_SIZE) {
        if (page == 0x605000)
            continue;
        auto translation = t.table.query(page + 0x10);
        ASSERT_FALSE(translation.is_error());
        EXPECT_EQ(translation.value().size, PageSize::Size4K);
        EXPECT_EQ(translation.value().physical, 0x1000000 + (page - 0x600000) + 0x10);
        EXPECT_EQ(translation.value().flags, RW | PageFlags::Global);
    }
    EXPECT_EQ(t.memory.tables_in_use(), 4u);
}

TEST(PageTable, Splitting1GDownTo4K)
{
    Tables t;
    ASSERT_FALSE(t.table.map(GiB, 0, RW, PageSize::Size1G).is_error());
    ASSERT_FALSE(t.table.protect(GiB + 3 * MiB, PAGE_SIZE, PageFlags::Present).is_error());
    EXPECT_EQ(t.table.query(GiB).value().size, PageSize::Size2M);
    EXPECT_EQ(t.table.query(GiB + 2 * MiB).value().size, PageSize::Size4K);
    EXPECT_EQ(t.table.query(GiB + 3 * MiB).value().flags, PageFlags::Present);
    EXPECT_EQ(t.table.query(GiB + 3 * MiB + PAGE_SIZE).value().flags, RW);
    EXPECT_EQ(t.table.query(GiB + 3 * MiB + 5).value().physical, 3 * MiB + 5);
    EXPECT_EQ(t.table.query(GiB + 700 * MiB).value().physical, 700 * MiB);
}

TEST(PageTable, ProtectChangesFlagsAndKeepsAccessedDirty)
{
    Tables t;
    ASSERT_FALSE(t.table.map_range(0x10000000, 0x2000000, 4 * PAGE_SIZE, RW).is_error());
    // Hardware would set Accessed and Dirty; simulate it on the second page.
    PhysAddr pml4 = t.table.root();
    PhysAddr pdpt = raw_entry(t.memory, pml4, 0) & 0x000ffffffffff000;
    PhysAddr pd = raw_entry(t.memory, pdpt, 0) & 0x000ffffffffff000;
    PhysAddr pt = raw_entry(t.memory, pd, 0x80) & 0x000ffffffffff000;
    t.memory.table(pt)[1] |= 0x60;

    t.memory.invalidations.clear();
    ASSERT_FALSE(t.table.protect(0x10001000, 2 * PAGE_SIZE, PageFlags::Present | PageFlags::NoExecute).is_error());
    EXPECT_EQ(t.table.query(0x10000000).value().flags, RW);
    EXPECT_EQ(t.table.query(0x10001000).value().flags,
        PageFlags::Present | PageFlags::NoExecute | PageFlags::Accessed | PageFlags::Dirty);
    EXPECT_EQ(t.table.query(0x10002000).value().flags, PageFlags::Present | PageFlags::NoExecute);
    EXPECT_EQ(t.table.query(0x10003000).value().flags, RW);
    EXPECT_EQ(t.table.query(0x10002000).value().physical, 0x2002000u);
    EXPECT_EQ(t.memory.invalidations, (std::vector<VirtAddr> { 0x10001000, 0x10002000 }));
    // A hole in the range: nothing changes.
    EXPECT_EQ(t.table.protect(0x10003000, 2 * PAGE_SIZE, PageFlags::Present).error().code(), ENOENT);
    EXPECT_EQ(t.table.query(0x10003000).value().flags, RW);
}

TEST(PageTable, NoExecuteIsDroppedWithoutNxe)
{
    Tables t({ false, false });
    ASSERT_FALSE(t.table.map(0x1000, 0x1000, RW | PageFlags::NoExecute).is_error());
    EXPECT_EQ(t.table.query(0x1000).value().flags, RW);
}

TEST(PageTable, MapOverAnExistingMappingFails)
{
    Tables t;
    ASSERT_FALSE(t.table.map(0x200000, 0x400000, RW, PageSize::Size2M).is_error());
    usize tables = t.memory.tables_in_use();
    EXPECT_EQ(t.table.map(0x200000, 0x800000, RW).error().code(), EEXIST);
    EXPECT_EQ(t.table.map(0x3ff000, 0x800000, RW).error().code(), EEXIST);
    EXPECT_EQ(t.table.map(0x200000, 0x800000, RW, PageSize::Size2M).error().code(), EEXIST);
    EXPECT_EQ(t.table.map_range(0x100000, 0x800000, 2 * MiB, RW).error().code(), EEXIST);
    EXPECT_EQ(t.table.query(0x300000).value().physical, 0x500000u);
    EXPECT_EQ(t.table.query(0x100000).error().code(), ENOENT) << "a refused map_range maps nothing";
    EXPECT_EQ(t.memory.tables_in_use(), tables);
    // A 2 MiB page over existing 4 KiB pages.
    ASSERT_FALSE(t.table.map(0x600000, 0x800000, RW).is_error());
    EXPECT_EQ(t.table.map(0x600000, 0x800000, RW, PageSize::Size2M).error().code(), EEXIST);
}

TEST(PageTable, BadArgumentsAreRejected)
{
    Tables t;
    EXPECT_EQ(t.table.map(0x0000800000000000, 0x1000, RW).error().code(), EINVAL); // non-canonical
    EXPECT_EQ(t.table.map(0xffff000000000000, 0x1000, RW).error().code(), EINVAL); // non-canonical
    EXPECT_EQ(t.table.map(0x1001, 0x1000, RW).error().code(), EINVAL);             // virtual misaligned
    EXPECT_EQ(t.table.map(0x1000, 0x1800, RW).error().code(), EINVAL);             // physical misaligned
    EXPECT_EQ(t.table.map(0x201000, 0x400000, RW, PageSize::Size2M).error().code(), EINVAL);
    EXPECT_EQ(t.table.map(0x200000, 0x401000, RW, PageSize::Size2M).error().code(), EINVAL);
    EXPECT_EQ(t.table.map(0x1000, u64(1) << 52, RW).error().code(), EINVAL);                     // past MAXPHYADDR
    EXPECT_EQ(t.table.map(0x1000, 0x1000, static_cast<PageFlags>(0x80)).error().code(), EINVAL); // PS is not a flag
    EXPECT_EQ(t.table.map_range(0x1000, 0x1000, 0, RW).error().code(), EINVAL);
    EXPECT_EQ(t.table.map_range(0x00007ffffffff000, 0x1000, 2 * PAGE_SIZE, RW).error().code(),
        EINVAL); // runs off the lower half
    EXPECT_EQ(t.table.unmap(0x1000, 0x800).error().code(), EINVAL);
    EXPECT_EQ(t.table.unmap(0x0000800000000000, PAGE_SIZE).error().code(), EINVAL);
    EXPECT_EQ(t.table.protect(0x1000, PAGE_SIZE, static_cast<PageFlags>(u64(1) << 52)).error().code(), EINVAL);
    EXPECT_EQ(t.table.query(0x0000900000000000).error().code(), EINVAL);
    EXPECT_EQ(t.memory.tables_in_use(), 1u);
}

TEST(PageTable, MapRangeUsesLargePagesWhereAligned)
{
    Tables t;
    // 4 KiB head, one 2 MiB page, 4 KiB tail.
    ASSERT_FALSE(t.table.map_range(0x1ff000, 0x5ff000, 2 * MiB + 2 * PAGE_SIZE, RW, PageSize::Size2M).is_error());
    EXPECT_EQ(t.table.query(0x1ff000).value().size, PageSize::Size4K);
    EXPECT_EQ(t.table.query(0x200000).value().size, PageSize::Size2M);
    EXPECT_EQ(t.table.query(0x3fffff).value().physical, 0x7fffffu);
    EXPECT_EQ(t.table.query(0x400000).value().size, PageSize::Size4K);
    EXPECT_EQ(t.table.query(0x401000).error().code(), ENOENT);
    // Physical alignment decides too: same virtual range, misaligned physical.
    Tables u;
    ASSERT_FALSE(u.table.map_range(0x200000, 0x201000, 2 * MiB, RW, PageSize::Size2M).is_error());
    EXPECT_EQ(u.table.query(0x200000).value().size, PageSize::Size4K);
}

TEST(PageTable, MapRangeIsAllOrNothingOnOutOfMemory)
{
    Tables t;
    // Needs PDPT + PD + 2 PTs; allow only 3.
    t.memory.set_budget(3);
    EXPECT_EQ(t.table.map_range(0x1ff000, 0x1000, 2 * PAGE_SIZE, RW).error().code(), ENOMEM);
    EXPECT_EQ(t.table.query(0x1ff000).error().code(), ENOENT);
    EXPECT_EQ(t.memory.tables_in_use(), 1u);
    t.memory.set_budget(1); // PDPT only: the PD allocation fails inside map()
    EXPECT_EQ(t.table.map(0x1000, 0x1000, RW).error().code(), ENOMEM);
    EXPECT_EQ(t.memory.tables_in_use(), 1u);
    t.memory.set_budget(-1);
    ASSERT_FALSE(t.table.map_range(0x1ff000, 0x1000, 2 * PAGE_SIZE, RW).is_error());
}

TEST(PageTable, UnmapRangeAcrossTablesFreesThemAndReportsLeaves)
{
    Tables t;
    ASSERT_FALSE(
        t.table.map_range(0x3fe00000, 0x100000000, 4 * MiB, RW, PageSize::Size2M).is_error()); // crosses a PDPT entry
    ASSERT_FALSE(t.table.map(0x40600000, 0x5000, RW).is_error());
    struct Seen {
        std::vector<std::pair<VirtAddr, PhysAddr>> leaves;
    } seen;
    mm::LeafVisitor visitor { [](void* context, VirtAddr v, PhysAddr p, PageSize) {
                                 static_cast<Seen*>(context)->leaves.push_back({ v, p });
                             },
        &seen };
    // Unmap with holes in the range and a partial large page at the end.
    ASSERT_FALSE(t.table.unmap(0x3fe00000, 3 * MiB, visitor).is_error());
    ASSERT_EQ(seen.leaves.size(), 256u + 1);
    EXPECT_EQ(seen.leaves[0], (std::pair<VirtAddr, PhysAddr> { 0x3fe00000, 0x100000000 }));
    EXPECT_EQ(seen.leaves[1], (std::pair<VirtAddr, PhysAddr> { 0x40000000, 0x100200000 }));
    EXPECT_EQ(t.table.query(0x40100000).value().physical, 0x100300000u);
    ASSERT_FALSE(t.table.unmap(0, 4 * GiB).is_error());
    EXPECT_EQ(t.memory.tables_in_use(), 1u);
    EXPECT_EQ(t.memory.allocations, t.memory.frees + 1);
}

TEST(PageTable, KernelHalfPdptsStay)
{
    Tables t(ALL_FEATURES, 512);
    ASSERT_FALSE(t.table.populate(256, 511).is_error());
    EXPECT_EQ(t.memory.tables_in_use(), 257u);
    ASSERT_FALSE(t.table.map(0xffffc00000001000, 0x1000, RW).is_error());
    EXPECT_EQ(t.memory.tables_in_use(), 259u);
    ASSERT_FALSE(t.table.unmap(0xffffc00000001000, PAGE_SIZE).is_error());
    EXPECT_EQ(t.memory.tables_in_use(), 257u) << "PD and PT go, the shared PDPT stays";
    ASSERT_FALSE(t.table.map(0xfffffffffffff000, 0x1000, RW).is_error()); // the very last page
    EXPECT_EQ(t.table.query(0xffffffffffffffff).value().physical, 0x1fffu);
    ASSERT_FALSE(t.table.unmap(0xfffffffffffff000, PAGE_SIZE).is_error());
}

TEST(PageTable, UserPagesMakeUserPaths)
{
    Tables t;
    ASSERT_FALSE(t.table.map(0x400000, 0x1000, PageFlags::Present).is_error());
    PhysAddr pdpt = raw_entry(t.memory, t.table.root(), 0);
    EXPECT_EQ(pdpt & 4, 0u) << "kernel-only path has no User bit";
    ASSERT_FALSE(t.table.map(0x401000, 0x2000, PageFlags::Present | PageFlags::User).is_error());
    pdpt = raw_entry(t.memory, t.table.root(), 0);
    EXPECT_EQ(pdpt & 7, 7u) << "intermediate entries are Present|Writable|User";
    EXPECT_FALSE(has_flag(t.table.query(0x400000).value().flags, PageFlags::User));
    EXPECT_TRUE(has_flag(t.table.query(0x401000).value().flags, PageFlags::User));
}

TEST(PageTable, FindUnmappedIsFirstFit)
{
    Tables t;
    constexpr VirtAddr BASE = 0xffffc00000000000;
    ASSERT_FALSE(t.table.populate(384, 384).is_error());
    ASSERT_FALSE(t.table.map_range(BASE, 0x1000, 3 * PAGE_SIZE, RW).is_error());
    ASSERT_FALSE(t.table.map_range(BASE + 5 * PAGE_SIZE, 0x1000, PAGE_SIZE, RW).is_error());
    EXPECT_EQ(t.table.find_unmapped(BASE, BASE + MiB - 1, 2 * PAGE_SIZE).value(), BASE + 3 * PAGE_SIZE);
    EXPECT_EQ(t.table.find_unmapped(BASE, BASE + MiB - 1, 3 * PAGE_SIZE).value(), BASE + 6 * PAGE_SIZE);
    EXPECT_EQ(t.table.find_unmapped(BASE, BASE + 8 * PAGE_SIZE - 1, 3 * PAGE_SIZE).error().code(), ENOMEM);
    EXPECT_EQ(t.table.find_unmapped(BASE, BASE + 9 * PAGE_SIZE - 1, 3 * PAGE_SIZE).value(), BASE + 6 * PAGE_SIZE);
}

TEST(PageTable, ReleaseFreesEverythingAndVisitsLeaves)
{
    Tables t;
    ASSERT_FALSE(t.table.map_range(0x1000, 0x1000, 16 * PAGE_SIZE, RW).is_error());
    ASSERT_FALSE(t.table.map(0x7f0000000000, 0x200000, RW, PageSize::Size2M).is_error());
    ASSERT_FALSE(t.table.map(0xffff800000000000, 0x1000, RW).is_error());
    usize leaves = 0;
    t.table.release(
        0, 255, { [](void* context, VirtAddr, PhysAddr, PageSize) { ++*static_cast<usize*>(context); }, &leaves });
    EXPECT_EQ(leaves, 17u);
    EXPECT_EQ(t.memory.tables_in_use(), 4u) << "the root and the kernel-half path remain";
    EXPECT_EQ(t.table.query(0x1000).error().code(), ENOENT);
    EXPECT_FALSE(t.table.query(0xffff800000000000).is_error());
}
