// Boot-time map helpers: where the frame bitmap may go, and RAM ranges for the direct map.
#include <gtest/gtest.h>
#include <kernel/mm/BootMemory.h>
#include <vector>

using boot::MemoryRegion;
using boot::MemoryType;

namespace {

ErrorOr<PhysAddr> place(
    const std::vector<MemoryRegion>& map, u64 size, std::vector<mm::PhysicalRange> avoid, PhysAddr limit = 4 * GiB)
{
    return mm::find_boot_allocation({ map.data(), map.size() }, size, 1 * MiB, limit, { avoid.data(), avoid.size() });
}

} // namespace

TEST(BootMemory, BitmapGoesToTheLowestFreePlaceAbove1MiB)
{
    std::vector<MemoryRegion> map = { { 0, 0x9fc00, MemoryType::Usable }, { 1 * MiB, 255 * MiB, MemoryType::Usable } };
    auto spot = place(map, 5000, { { 1 * MiB, 3 * MiB } });
    ASSERT_FALSE(spot.is_error());
    EXPECT_EQ(spot.value(), 3 * MiB);
}

TEST(BootMemory, BitmapAvoidsModulesReservedEntriesAndTheLimit)
{
    std::vector<MemoryRegion> map = {
        { 4 * GiB, 1 * GiB, MemoryType::Usable }, // above the limit
        { 1 * MiB, 63 * MiB, MemoryType::Usable },
        { 0x300000 + 0x800, 0x100, MemoryType::AcpiNvs }, // inside the usable entry
    };
    // Kernel 1..2 MiB, a module 2..3 MiB; 3 MiB..+8K is cut by the NVS entry.
    auto spot = place(map, 2 * PAGE_SIZE, { { 1 * MiB, 2 * MiB }, { 2 * MiB, 3 * MiB } });
    ASSERT_FALSE(spot.is_error());
    EXPECT_EQ(spot.value(), 0x301000u);
    // Too large for anything below the limit.
    EXPECT_EQ(place(map, 64 * MiB, {}).error().code(), ENOMEM);
    EXPECT_EQ(place(map, 0, {}).error().code(), EINVAL);
    // Allowed above 4 GiB only if the limit says so.
    auto high = place(map, 64 * MiB, {}, ~u64(0));
    ASSERT_FALSE(high.is_error());
    EXPECT_EQ(high.value(), 4 * GiB);
}

TEST(BootMemory, RamRangesAreSortedMergedAndPageAligned)
{
    std::vector<MemoryRegion> map = {
        { 4 * GiB, 2 * GiB, MemoryType::Usable }, { 0x100000, 0x7fee0000, MemoryType::Usable },
        { 0x7ffe0000, 0x20000, MemoryType::AcpiReclaimable }, { 0, 0x9fc00, MemoryType::Usable },
        { 0xb0000000, 0x10000000, MemoryType::Reserved }, { 0x9fc00, 0x400, MemoryType::AcpiNvs },
        { 5 * GiB, 0x1000, MemoryType::Usable }, // inside the 4 GiB entry
    };
    mm::PhysicalRange ranges[8];
    usize count = mm::collect_ram_ranges({ map.data(), map.size() }, ranges);
    ASSERT_EQ(count, 3u);
    EXPECT_EQ(ranges[0].base, 0u);
    EXPECT_EQ(ranges[0].end, 0xa0000u);
    EXPECT_EQ(ranges[1].base, 0x100000u);
    EXPECT_EQ(ranges[1].end, 0x80000000u);
    EXPECT_EQ(ranges[2].base, 4 * GiB);
    EXPECT_EQ(ranges[2].end, 6 * GiB);
}
