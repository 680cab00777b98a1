// HashMap: behaviour, tombstones, ENOMEM paths, element lifetimes, and a
// randomized comparison against std::unordered_map.
#include <deque>
#include <gtest/gtest.h>
#include <kernel/lib/HashMap.h>
#include <map>
#include <random>
#include <string>
#include <tests/unit/support/HostAllocator.h>
#include <tests/unit/support/Tracked.h>
#include <unordered_map>

namespace {

class HashMapTest : public ::testing::Test {
protected:
    void SetUp() override { Tracked::reset_counters(); }
    void TearDown() override
    {
        host_allocator::reset();
        EXPECT_EQ(Tracked::live, 0);
        EXPECT_EQ(Tracked::misuse, 0);
    }
};

template<typename Map>
std::map<u64, int> contents(const Map& map)
{
    std::map<u64, int> out;
    for (auto entry : map) {
        int value;
        if constexpr (requires { entry.value.value; })
            value = entry.value.value;
        else
            value = entry.value;
        EXPECT_TRUE(out.emplace(entry.key, value).second) << "key visited twice";
    }
    return out;
}

TEST_F(HashMapTest, SetGetReplaceRemove)
{
    HashMap<u64, int> map;
    EXPECT_TRUE(map.is_empty());
    EXPECT_EQ(map.get(1), nullptr);
    EXPECT_FALSE(map.remove(1));
    EXPECT_EQ(map.capacity(), 0u) << "an empty map owns no memory";

    ASSERT_FALSE(map.try_set(u64(1), 10).is_error());
    ASSERT_FALSE(map.try_set(u64(2), 20).is_error());
    ASSERT_FALSE(map.try_set(u64(1), 11).is_error());
    EXPECT_EQ(map.size(), 2u);
    ASSERT_NE(map.get(1), nullptr);
    EXPECT_EQ(*map.get(1), 11);
    *map.get(2) = 21;
    EXPECT_EQ(*map.get(2), 21);
    EXPECT_TRUE(map.contains(2));
    EXPECT_TRUE(map.remove(2));
    EXPECT_FALSE(map.contains(2));
    EXPECT_FALSE(map.remove(2));
    EXPECT_EQ(map.size(), 1u);
    EXPECT_EQ(contents(map), (std::map<u64, int> { { 1, 11 } }));
    map.clear();
    EXPECT_TRUE(map.is_empty());
    EXPECT_EQ(map.capacity(), 0u);
}

TEST_F(HashMapTest, StringViewKeys)
{
    std::deque<std::string> storage;
    HashMap<StringView, int> map;
    for (int i = 0; i < 1000; ++i) {
        storage.push_back("name-" + std::to_string(i));
        ASSERT_FALSE(map.try_set(StringView(storage.back().c_str()), i).is_error());
    }
    // Lookups use equal text, not the same pointer.
    for (int i = 0; i < 1000; ++i) {
        std::string probe = "name-" + std::to_string(i);
        const int* value = map.get(StringView(probe.c_str()));
        ASSERT_NE(value, nullptr) << probe;
        EXPECT_EQ(*value, i);
    }
    EXPECT_FALSE(map.contains("name-1000"));
    EXPECT_FALSE(map.contains(""));
    EXPECT_TRUE(map.remove("name-500"));
    EXPECT_FALSE(map.contains("name-500"));
    EXPECT_EQ(map.size(), 999u);
}

TEST_F(HashMapTest, RemovingTheVisitedEntryDuringIterationIsSafe)
{
    HashMap<u64, int> map;
    for (u64 i = 0; i < 500; ++i)
        ASSERT_FALSE(map.try_set(i, static_cast<int>(i)).is_error());
    usize visited = 0;
    for (auto entry : map) {
        ++visited;
        if (entry.key % 3 == 0)
            map.remove(entry.key);
    }
    EXPECT_EQ(visited, 500u);
    EXPECT_EQ(map.size(), 500u - 167u);
    for (u64 i = 0; i < 500; ++i)
        EXPECT_EQ(map.contains(i), i % 3 != 0) << i;
}

// Insert/remove cycles with ever new keys leave only tombstones behind. The
// table must neither grow without bound nor lose its empty slots (a probe
// with no empty slot would never end).
TEST_F(HashMapTest, TombstonesFromManyInsertRemoveCyclesAreReclaimed)
{
    HashMap<u64, int> map;
    for (u64 i = 0; i < 10; ++i)
        ASSERT_FALSE(map.try_set(i, 0).is_error());
    usize max_capacity = 0;
    for (u64 key = 1000; key < 1000 + 1000000; ++key) {
        ASSERT_FALSE(map.try_set(key, 1).is_error());
        ASSERT_TRUE(map.remove(key));
        max_capacity = std::max(max_capacity, map.capacity());
        if (key % 9973 == 0)
            ASSERT_FALSE(map.contains(key + 1)) << "lookup of a missing key terminates";
    }
    EXPECT_EQ(map.size(), 10u);
    EXPECT_LE(max_capacity, 32u);
    for (u64 i = 0; i < 10; ++i)
        EXPECT_TRUE(map.contains(i));
}

// Removing and re-adding the same keys reuses their tombstones, so the
// table never needs a rehash (and never allocates) in that steady state.
TEST_F(HashMapTest, ReaddingRemovedKeysReusesTombstonesWithoutRehashing)
{
    HashMap<u64, int> map;
    for (u64 i = 0; i < 100; ++i)
        ASSERT_FALSE(map.try_set(i, 0).is_error());
    usize allocations = host_allocator::allocation_count();
    std::mt19937_64 rng(7);
    for (int cycle = 0; cycle < 100000; ++cycle) {
        u64 key = rng() % 100;
        ASSERT_TRUE(map.remove(key));
        ASSERT_FALSE(map.try_set(key, cycle).is_error());
    }
    EXPECT_EQ(host_allocator::allocation_count(), allocations);
    EXPECT_EQ(map.size(), 100u);
}

TEST_F(HashMapTest, FailedGrowthLeavesMapUnchanged)
{
    HashMap<u64, Tracked> map;
    // Fill to the growth threshold: 3/4 of the capacity.
    u64 key = 0;
    ASSERT_FALSE(map.try_set(key++, Tracked(0)).is_error());
    while ((map.size() + 1) * 4 <= map.capacity() * 3) {
        ASSERT_FALSE(map.try_set(key, Tracked(static_cast<int>(key))).is_error());
        ++key;
    }
    auto before = contents(map);
    usize capacity = map.capacity();
    long live = Tracked::live;

    host_allocator::FailureScope failing;
    Tracked value(99);
    auto result = map.try_set(key, lib::move(value));
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ENOMEM);
    EXPECT_EQ(value.value, 99) << "the caller keeps the value on failure";
    EXPECT_EQ(map.try_ensure_capacity(1000).error().code(), ENOMEM);
    EXPECT_EQ(map.capacity(), capacity);
    EXPECT_EQ(contents(map), before);
    EXPECT_EQ(Tracked::live, live + 1);
    EXPECT_FALSE(map.contains(key));
    // Replacing an existing key never allocates.
    EXPECT_FALSE(map.try_set(u64(0), Tracked(-5)).is_error());
    EXPECT_EQ(map.get(0)->value, -5);
}

TEST_F(HashMapTest, EnsureCapacityMakesLaterInsertsAllocationFree)
{
    HashMap<u64, int> map;
    ASSERT_FALSE(map.try_ensure_capacity(1000).is_error());
    host_allocator::FailureScope failing;
    for (u64 i = 0; i < 1000; ++i)
        ASSERT_FALSE(map.try_set(i * 7919, 1).is_error()) << i;
    EXPECT_EQ(map.size(), 1000u);
}

TEST_F(HashMapTest, ValueMayReferToAnEntryWhileTheTableGrows)
{
    HashMap<u64, std::string> map;
    ASSERT_FALSE(map.try_set(u64(0), std::string(200, 'v')).is_error());
    for (u64 key = 1; key < 200; ++key) {
        // Whenever this insertion grows the table, *get(0) lives in the old one.
        ASSERT_FALSE(map.try_set(key, *map.get(0)).is_error());
        ASSERT_EQ(*map.get(key), std::string(200, 'v'));
    }
    ASSERT_FALSE(map.try_set(u64(5), *map.get(5)).is_error());
    EXPECT_EQ(*map.get(5), std::string(200, 'v'));
}

TEST_F(HashMapTest, EntriesAreDestroyedExactlyOnce)
{
    {
        HashMap<u64, Tracked> map;
        for (int i = 0; i < 2000; ++i)
            ASSERT_FALSE(map.try_set(u64(i), Tracked(i)).is_error());
        for (int i = 0; i < 2000; i += 2)
            ASSERT_FALSE(map.try_set(u64(i), Tracked(-i)).is_error());
        for (int i = 0; i < 2000; i += 3)
            map.remove(u64(i));
        EXPECT_EQ(Tracked::live, static_cast<long>(map.size()));
        HashMap<u64, Tracked> other(lib::move(map));
        EXPECT_EQ(map.size(), 0u);
        EXPECT_EQ(Tracked::live, static_cast<long>(other.size()));
        map = lib::move(other);
        EXPECT_EQ(Tracked::live, static_cast<long>(map.size()));
    }
    EXPECT_EQ(Tracked::live, 0);
}

TEST(HashTest, KnownValues)
{
    // FNV-1a 64 test vectors (draft-eastlake-fnv, appendix C).
    EXPECT_EQ(lib::fnv1a_64("", 0), 0xcbf29ce484222325ull);
    EXPECT_EQ(lib::fnv1a_64("a", 1), 0xaf63dc4c8601ec8cull);
    EXPECT_EQ(lib::fnv1a_64("foobar", 6), 0x85944171f73967e8ull);
    // The SplitMix64 finalizer is a bijection: no collisions among many inputs.
    std::unordered_map<u64, u64> seen;
    for (u64 i = 0; i < 100000; ++i)
        ASSERT_TRUE(seen.emplace(lib::hash_u64(i << 12), i).second);
    EXPECT_EQ(Traits<StringView>::hash("abc"), lib::hash_bytes("abc", 3));
}

// 100k random operations on a small key space (so sets hit, replace and
// remove often), mirrored on std::unordered_map; one in sixteen operations
// runs with allocation failing and must then leave the map unchanged.
TEST_F(HashMapTest, MatchesStdUnorderedMapUnderRandomOperations)
{
    std::mt19937_64 rng(0xa5b1e);
    HashMap<u64, Tracked> map;
    std::unordered_map<u64, int> model;
    usize failures = 0;
    for (int step = 0; step < 100000; ++step) {
        u64 key = rng() % 4096;
        if (rng() % 4 == 0)
            key = rng(); // sometimes a key from all of u64
        int op = static_cast<int>(rng() % 100);
        if (op < 50) {
            int value = static_cast<int>(rng() % 1000000);
            bool inject = rng() % 16 == 0;
            if (inject)
                host_allocator::fail_after(0);
            auto result = map.try_set(key, Tracked(value));
            host_allocator::reset();
            if (result.is_error()) {
                ASSERT_TRUE(inject);
                ASSERT_EQ(result.error().code(), ENOMEM);
                ASSERT_EQ(model.count(key), 0u) << "replacing never fails";
                ++failures;
            } else {
                model[key] = value;
            }
        } else if (op < 80) {
            ASSERT_EQ(map.remove(key), model.erase(key) == 1) << "step " << step;
        } else if (op < 99) {
            const Tracked* value = map.get(key);
            auto it = model.find(key);
            ASSERT_EQ(value != nullptr, it != model.end()) << "step " << step;
            if (value)
                ASSERT_EQ(value->value, it->second);
        } else {
            if (rng() % 10 == 0) {
                map.clear();
                model.clear();
            }
        }
        ASSERT_EQ(map.size(), model.size()) << "step " << step;
        ASSERT_EQ(Tracked::live, static_cast<long>(model.size()));
        if (step % 5000 == 0) {
            std::map<u64, int> expected(model.begin(), model.end());
            ASSERT_EQ(contents(map), expected) << "step " << step;
        }
    }
    std::map<u64, int> expected(model.begin(), model.end());
    EXPECT_EQ(contents(map), expected);
    EXPECT_GT(failures, 0u);
}

} // namespace
