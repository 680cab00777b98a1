// user::RegionMap: insertion and overlap, merging of equal neighbours,
// top-down free-space search, removal and protection changes that split
// regions, partial failure of a protection change, and the region limit.
#include <gtest/gtest.h>
#include <kernel/user/RegionMap.h>
#include <vector>

using user::Protection;
using user::Region;
using user::RegionKind;
using user::RegionMap;

namespace {

constexpr Protection RW = Protection::Read | Protection::Write;
constexpr Protection RX = Protection::Read | Protection::Execute;
constexpr u64 P = PAGE_SIZE;

std::vector<std::pair<u64, u64>> ranges(const RegionMap& map)
{
    std::vector<std::pair<u64, u64>> result;
    for (const Region& region : map.regions())
        result.push_back({ region.base, region.end });
    return result;
}

void insert(RegionMap& map, u64 base, u64 end, Protection protection = RW, RegionKind kind = RegionKind::Anonymous)
{
    ASSERT_FALSE(map.insert({ base, end, protection, kind }).is_error());
}

} // namespace

TEST(RegionMap, InsertKeepsOrderAndRefusesOverlap)
{
    RegionMap map;
    insert(map, 10 * P, 12 * P);
    insert(map, 2 * P, 4 * P, RX, RegionKind::Image);
    insert(map, 20 * P, 21 * P);
    EXPECT_EQ(
        ranges(map), (std::vector<std::pair<u64, u64>> { { 2 * P, 4 * P }, { 10 * P, 12 * P }, { 20 * P, 21 * P } }));
    EXPECT_EQ(map.insert({ 11 * P, 13 * P, RW, RegionKind::Anonymous }).error().code(), EEXIST);
    EXPECT_EQ(map.insert({ 1 * P, 3 * P, RW, RegionKind::Anonymous }).error().code(), EEXIST);
    EXPECT_EQ(map.insert({ 5 * P, 5 * P, RW, RegionKind::Anonymous }).error().code(), EINVAL);
    EXPECT_EQ(map.insert({ 5 * P + 1, 6 * P, RW, RegionKind::Anonymous }).error().code(), EINVAL);
    EXPECT_EQ(map.regions().size(), 3u);
    ASSERT_NE(map.find(11 * P), nullptr);
    EXPECT_EQ(map.find(11 * P)->base, 10 * P);
    EXPECT_EQ(map.find(12 * P), nullptr);
    EXPECT_EQ(map.find(0), nullptr);
}

TEST(RegionMap, MergesTouchingRegionsOfTheSameKindOnly)
{
    RegionMap map;
    insert(map, 10 * P, 12 * P, RW, RegionKind::Heap);
    insert(map, 12 * P, 13 * P, RW, RegionKind::Heap);
    insert(map, 13 * P, 14 * P, RW, RegionKind::Anonymous);
    insert(map, 9 * P, 10 * P, RX, RegionKind::Heap);
    EXPECT_EQ(
        ranges(map), (std::vector<std::pair<u64, u64>> { { 9 * P, 10 * P }, { 10 * P, 13 * P }, { 13 * P, 14 * P } }));
}

TEST(RegionMap, FreeAndCovered)
{
    RegionMap map;
    insert(map, 10 * P, 12 * P);
    insert(map, 12 * P, 14 * P, RX);
    EXPECT_TRUE(map.is_free(0, 10 * P));
    EXPECT_FALSE(map.is_free(9 * P, 11 * P));
    EXPECT_TRUE(map.is_free(14 * P, 20 * P));
    EXPECT_TRUE(map.is_covered(10 * P, 14 * P));
    EXPECT_TRUE(map.is_covered(11 * P, 13 * P));
    EXPECT_FALSE(map.is_covered(9 * P, 11 * P));
    EXPECT_FALSE(map.is_covered(13 * P, 15 * P));
}

TEST(RegionMap, FindsFreeSpaceTopDown)
{
    RegionMap map;
    insert(map, 90 * P, 100 * P);
    insert(map, 50 * P, 60 * P);
    // The highest fit below 100 pages: the gap 60..90.
    EXPECT_EQ(map.find_free(10 * P, 0, 100 * P).value(), 80 * P);
    EXPECT_EQ(map.find_free(30 * P, 0, 100 * P).value(), 60 * P);
    // 31 pages only fit below 50.
    EXPECT_EQ(map.find_free(31 * P, 0, 100 * P).value(), 19 * P);
    // With a floor of 20 pages nothing below 50 fits 31.
    EXPECT_EQ(map.find_free(31 * P, 20 * P, 100 * P).error().code(), ENOMEM);
    // Above the highest region, when the ceiling allows.
    EXPECT_EQ(map.find_free(5 * P, 0, 200 * P).value(), 195 * P);
    EXPECT_EQ(map.find_free(5 * P + 1, 0, 200 * P).error().code(), EINVAL);
}

TEST(RegionMap, RemoveSplitsAndSkipsHoles)
{
    RegionMap map;
    insert(map, 10 * P, 20 * P);
    insert(map, 30 * P, 40 * P, RX);
    ASSERT_FALSE(map.remove(12 * P, 14 * P).is_error());
    EXPECT_EQ(
        ranges(map), (std::vector<std::pair<u64, u64>> { { 10 * P, 12 * P }, { 14 * P, 20 * P }, { 30 * P, 40 * P } }));
    ASSERT_FALSE(map.remove(15 * P, 35 * P).is_error());
    EXPECT_EQ(
        ranges(map), (std::vector<std::pair<u64, u64>> { { 10 * P, 12 * P }, { 14 * P, 15 * P }, { 35 * P, 40 * P } }));
    EXPECT_EQ(map.find(36 * P)->protection, RX);
    ASSERT_FALSE(map.remove(0, 100 * P).is_error());
    EXPECT_TRUE(map.regions().is_empty());
}

TEST(RegionMap, ProtectSplitsAndMerges)
{
    RegionMap map;
    insert(map, 10 * P, 20 * P);
    ASSERT_FALSE(map.protect(12 * P, 14 * P, Protection::Read).is_error());
    EXPECT_EQ(
        ranges(map), (std::vector<std::pair<u64, u64>> { { 10 * P, 12 * P }, { 12 * P, 14 * P }, { 14 * P, 20 * P } }));
    EXPECT_EQ(map.find(13 * P)->protection, Protection::Read);
    ASSERT_FALSE(map.protect(12 * P, 14 * P, RW).is_error());
    EXPECT_EQ(ranges(map), (std::vector<std::pair<u64, u64>> { { 10 * P, 20 * P } }));
    EXPECT_EQ(map.protect(15 * P, 25 * P, Protection::Read).error().code(), ENOMEM);
    EXPECT_EQ(map.find(16 * P)->protection, RW); // nothing changed
}

TEST(RegionMap, ProtectRunsTheChangeForEachPartAndStopsAtAFailure)
{
    RegionMap map;
    insert(map, 10 * P, 12 * P, RW);
    insert(map, 12 * P, 14 * P, Protection::None);
    insert(map, 14 * P, 16 * P, RX);
    std::vector<std::pair<u64, u64>> seen;
    auto result = map.protect(
        11 * P, 15 * P, Protection::Read, [&](VirtAddr base, VirtAddr end, Protection old) -> ErrorOr<void> {
            seen.push_back({ base, end });
            if (old == Protection::None)
                return Error::from_errno(ENOMEM);
            return {};
        });
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ENOMEM);
    EXPECT_EQ(seen, (std::vector<std::pair<u64, u64>> { { 11 * P, 12 * P }, { 12 * P, 14 * P } }));
    // The part before the failure changed; the failed part and the rest did not.
    EXPECT_EQ(map.find(11 * P)->protection, Protection::Read);
    EXPECT_EQ(map.find(10 * P)->protection, RW);
    EXPECT_EQ(map.find(13 * P)->protection, Protection::None);
    EXPECT_EQ(map.find(14 * P)->protection, RX);
}

TEST(RegionMap, LimitsTheNumberOfRegions)
{
    RegionMap map;
    for (u64 i = 0; i + 1 < RegionMap::MAX_REGIONS; ++i)
        insert(map, (2 * i + 1) * P, (2 * i + 2) * P);
    u64 last = (2 * RegionMap::MAX_REGIONS + 10) * P;
    insert(map, last, last + 2 * P);
    EXPECT_EQ(map.regions().size(), RegionMap::MAX_REGIONS);
    EXPECT_EQ(map.insert({ last + 4 * P, last + 5 * P, RW, RegionKind::Anonymous }).error().code(), ENOMEM);
    // A change that splits a region needs a slot; one that does not, works.
    EXPECT_EQ(map.protect(last, last + P, Protection::Read).error().code(), ENOMEM);
    EXPECT_EQ(map.remove(last, last + P).error().code(), ENOMEM);
    EXPECT_FALSE(map.protect(last, last + 2 * P, Protection::Read).is_error());
    EXPECT_FALSE(map.remove(1 * P, 2 * P).is_error());
    // Filling a gap merges two neighbours into one.
    insert(map, 4 * P, 5 * P);
    EXPECT_EQ(map.regions().size(), RegionMap::MAX_REGIONS - 2);
}
