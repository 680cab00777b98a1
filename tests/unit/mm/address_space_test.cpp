// mm::AddressSpace over simulated physical memory: kernel-half sharing, user
// range checks, isolation between spaces and complete teardown.
#include "FakePageTableMemory.h"
#include <gtest/gtest.h>
#include <kernel/mm/AddressSpace.h>
#include <vector>

using mm::AddressSpace;
using mm::PageFlags;
using mm::PageSize;
using mm::PageTable;

namespace {

constexpr mm::PagingFeatures FEATURES { true, true };
constexpr PageFlags RW = PageFlags::Present | PageFlags::Writable;
constexpr VirtAddr KERNEL_PAGE = 0xffffc00000000000;

struct Kernel {
    Kernel()
        : memory(512)
        , table(memory, PageTable::allocate_root(memory).value(), FEATURES)
    {
        EXPECT_FALSE(table.populate(256, 511).is_error());
        EXPECT_FALSE(table.map(0xffffffff80000000, 0x100000, PageFlags::Present | PageFlags::Global).is_error());
    }
    FakePageTableMemory memory;
    PageTable table;
};

std::vector<std::pair<PhysAddr, PageSize>> g_released;

void record_release(PhysAddr physical, PageSize size)
{
    g_released.push_back({ physical, size });
}

} // namespace

TEST(AddressSpace, SharesTheKernelHalf)
{
    Kernel kernel;
    AddressSpace space;
    ASSERT_FALSE(space.create(kernel.memory, kernel.table.root(), FEATURES).is_error());
    for (usize i = 256; i < 512; ++i)
        EXPECT_EQ(kernel.memory.table(space.root())[i], kernel.memory.table(kernel.table.root())[i]);
    for (usize i = 0; i < 256; ++i)
        EXPECT_EQ(kernel.memory.table(space.root())[i], 0u);
    // A kernel mapping made after the space was created shows through it.
    ASSERT_FALSE(kernel.table.map(KERNEL_PAGE, 0x7000, RW).is_error());
    PageTable view(kernel.memory, space.root(), FEATURES);
    EXPECT_EQ(view.query(KERNEL_PAGE).value().physical, 0x7000u);
    space.destroy();
}

TEST(AddressSpace, OnlyUserAddressesAreAccepted)
{
    Kernel kernel;
    AddressSpace space;
    ASSERT_FALSE(space.create(kernel.memory, kernel.table.root(), FEATURES).is_error());
    EXPECT_EQ(space.map(KERNEL_PAGE, 0x1000, PAGE_SIZE, RW).error().code(), EFAULT);
    EXPECT_EQ(space.map(0x00007ffffffff000, 0x1000, 2 * PAGE_SIZE, RW).error().code(), EFAULT);
    EXPECT_EQ(space.map(0x0000800000000000, 0x1000, PAGE_SIZE, RW).error().code(), EFAULT);
    EXPECT_EQ(space.unmap(0xffffffff80000000, PAGE_SIZE).error().code(), EFAULT);
    EXPECT_EQ(space.protect(0xffffffff80000000, PAGE_SIZE, RW).error().code(), EFAULT);
    EXPECT_EQ(space.query(0xffffffff80000000).error().code(), EFAULT);
    EXPECT_EQ(space.map(0x400800, 0x1000, PAGE_SIZE, RW).error().code(), EINVAL);
    EXPECT_EQ(space.map(0x400000, 0x1000, 0, RW).error().code(), EINVAL);
    // The kernel image is still mapped, untouched.
    EXPECT_EQ(kernel.table.query(0xffffffff80000000).value().physical, 0x100000u);

    ASSERT_FALSE(space.map(0x00007ffffffff000, 0x9000, PAGE_SIZE, RW).is_error());
    auto top = space.query(0x00007fffffffffff);
    ASSERT_FALSE(top.is_error());
    EXPECT_EQ(top.value().physical, 0x9fffu);
    EXPECT_TRUE(has_flag(top.value().flags, PageFlags::User)) << "user mappings always carry User";
    ASSERT_FALSE(space.protect(0x00007ffffffff000, PAGE_SIZE, PageFlags::Present).is_error());
    EXPECT_EQ(space.query(0x00007ffffffff000).value().flags, PageFlags::Present | PageFlags::User);
    space.destroy();
}

TEST(AddressSpace, SpacesAreIsolated)
{
    Kernel kernel;
    AddressSpace a;
    AddressSpace b;
    ASSERT_FALSE(a.create(kernel.memory, kernel.table.root(), FEATURES).is_error());
    ASSERT_FALSE(b.create(kernel.memory, kernel.table.root(), FEATURES).is_error());
    ASSERT_FALSE(a.map(0x400000, 0x10000, 4 * PAGE_SIZE, RW).is_error());
    ASSERT_FALSE(b.map(0x400000, 0x20000, 4 * PAGE_SIZE, RW).is_error());
    EXPECT_EQ(a.query(0x401234).value().physical, 0x11234u);
    EXPECT_EQ(b.query(0x401234).value().physical, 0x21234u);
    ASSERT_FALSE(a.unmap(0x400000, 4 * PAGE_SIZE).is_error());
    EXPECT_EQ(a.query(0x401234).error().code(), ENOENT);
    EXPECT_EQ(b.query(0x401234).value().physical, 0x21234u);
    EXPECT_EQ(kernel.table.query(0x400000).error().code(), ENOENT) << "user pages never reach the kernel's table";
    a.destroy();
    b.destroy();
}

TEST(AddressSpace, DestroyFreesEveryTableAndOptionallyTheFrames)
{
    Kernel kernel;
    usize before = kernel.memory.tables_in_use();
    AddressSpace space;
    ASSERT_FALSE(space.create(kernel.memory, kernel.table.root(), FEATURES).is_error());
    ASSERT_FALSE(space.map(0x400000, 0x100000, 8 * PAGE_SIZE, RW).is_error());
    ASSERT_FALSE(space.map(0x7f0000000000, 0x40000000, 2 * MiB, RW, PageSize::Size2M).is_error());
    ASSERT_FALSE(space.map(0x10000000000, 0x3000, PAGE_SIZE, RW).is_error()); // another PML4 entry
    EXPECT_GT(kernel.memory.tables_in_use(), before + 6);

    g_released.clear();
    ASSERT_FALSE(space.unmap(0x400000, 2 * PAGE_SIZE, mm::MappedFrames::Free, record_release).is_error());
    ASSERT_EQ(g_released.size(), 2u);
    EXPECT_EQ(g_released[0].first, 0x100000u);

    g_released.clear();
    space.destroy(mm::MappedFrames::Free, record_release);
    EXPECT_EQ(kernel.memory.tables_in_use(), before);
    EXPECT_FALSE(space.is_created());
    ASSERT_EQ(g_released.size(), 6u + 1 + 1);
    usize large = 0;
    for (auto& [physical, size] : g_released)
        large += size == PageSize::Size2M;
    EXPECT_EQ(large, 1u);
    // The kernel half is untouched by the teardown.
    EXPECT_EQ(kernel.table.query(0xffffffff80000000).value().physical, 0x100000u);
    // Calls on a destroyed space fail cleanly; it can be created again.
    EXPECT_EQ(space.map(0x400000, 0x1000, PAGE_SIZE, RW).error().code(), EINVAL);
    ASSERT_FALSE(space.create(kernel.memory, kernel.table.root(), FEATURES).is_error());
    EXPECT_EQ(space.create(kernel.memory, kernel.table.root(), FEATURES).error().code(), EEXIST);
    space.destroy();
    EXPECT_EQ(kernel.memory.tables_in_use(), before);
}
