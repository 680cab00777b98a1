// Vector: behaviour, element lifetimes, ENOMEM paths, and a randomized
// comparison against std::vector with allocation failures injected.
#include <gtest/gtest.h>
#include <kernel/lib/Vector.h>
#include <random>
#include <string>
#include <tests/unit/support/HostAllocator.h>
#include <tests/unit/support/Tracked.h>
#include <vector>

namespace {

class VectorTest : public ::testing::Test {
protected:
    void SetUp() override { Tracked::reset_counters(); }
    void TearDown() override
    {
        host_allocator::reset();
        EXPECT_EQ(Tracked::live, 0);
        EXPECT_EQ(Tracked::misuse, 0);
    }
};

template<typename V>
std::vector<int> values_of(const V& vector)
{
    std::vector<int> out;
    for (const auto& element : vector) {
        if constexpr (requires { element.value; })
            out.push_back(element.value);
        else
            out.push_back(element);
    }
    return out;
}

TEST_F(VectorTest, AppendInsertRemove)
{
    Vector<int> v;
    EXPECT_TRUE(v.is_empty());
    for (int i = 0; i < 10; ++i)
        ASSERT_FALSE(v.try_append(i).is_error());
    ASSERT_FALSE(v.try_insert(0, -1).is_error());
    ASSERT_FALSE(v.try_insert(5, 100).is_error());
    ASSERT_FALSE(v.try_insert(v.size(), 200).is_error());
    EXPECT_EQ(values_of(v), (std::vector<int> { -1, 0, 1, 2, 3, 100, 4, 5, 6, 7, 8, 9, 200 }));
    v.remove(5);
    v.remove(0);
    EXPECT_EQ(v.take_last(), 200);
    EXPECT_EQ(v.take(0), 0);
    EXPECT_EQ(values_of(v), (std::vector<int> { 1, 2, 3, 4, 5, 6, 7, 8, 9 }));
    EXPECT_EQ(v.first(), 1);
    EXPECT_EQ(v.last(), 9);
    EXPECT_TRUE(v.contains(7));
    EXPECT_FALSE(v.contains(70));
    EXPECT_EQ(v.remove_all_matching([](int x) { return x % 2 == 0; }), 4u);
    EXPECT_EQ(values_of(v), (std::vector<int> { 1, 3, 5, 7, 9 }));
    EXPECT_EQ(v.span().size(), 5u);
    EXPECT_EQ(v.span().data(), v.data());
    v.clear();
    EXPECT_TRUE(v.is_empty());
    EXPECT_EQ(v.capacity(), 0u);
}

TEST_F(VectorTest, GrowthIsGeometric)
{
    Vector<int> v;
    usize reallocations = 0;
    usize capacity = v.capacity();
    for (int i = 0; i < 100000; ++i) {
        ASSERT_FALSE(v.try_append(i).is_error());
        if (v.capacity() != capacity) {
            ++reallocations;
            capacity = v.capacity();
        }
    }
    // 1.5x growth from 4: about log1.5(100000 / 4) = 25 reallocations.
    EXPECT_LE(reallocations, 30u);
    for (int i = 0; i < 100000; ++i)
        ASSERT_EQ(v[i], i);
}

TEST_F(VectorTest, NonTrivialElementsAreConstructedAndDestroyedOnce)
{
    {
        Vector<Tracked> v;
        for (int i = 0; i < 1000; ++i)
            ASSERT_FALSE(v.try_emplace_back(i).is_error());
        EXPECT_EQ(Tracked::live, 1000);
        for (int i = 0; i < 100; ++i)
            ASSERT_FALSE(v.try_insert(usize(i) * 3, Tracked(-i)).is_error());
        EXPECT_EQ(Tracked::live, 1100);
        for (int i = 0; i < 50; ++i)
            v.remove(i);
        Tracked last = v.take_last();
        EXPECT_EQ(last.value, 999);
        EXPECT_EQ(Tracked::live, 1100 - 50);
        ASSERT_FALSE(v.try_resize(10).is_error());
        EXPECT_EQ(Tracked::live, 11);
        ASSERT_FALSE(v.try_resize(20).is_error());
        EXPECT_EQ(v[19].value, 0);
        auto clone = v.try_clone();
        ASSERT_FALSE(clone.is_error());
        EXPECT_EQ(values_of(clone.value()), values_of(v));
        EXPECT_EQ(Tracked::live, 41);
    }
    EXPECT_EQ(Tracked::live, 0);
    EXPECT_EQ(Tracked::constructions, Tracked::destructions);
}

TEST_F(VectorTest, AppendingAnElementOfItselfDuringGrowth)
{
    Vector<std::string> v;
    ASSERT_FALSE(v.try_append(std::string(100, 'x')).is_error());
    while (v.size() < v.capacity())
        ASSERT_FALSE(v.try_append(std::string("filler")).is_error());
    // Full: this append reallocates while `v[0]` still refers to the old buffer.
    ASSERT_FALSE(v.try_append(v[0]).is_error());
    EXPECT_EQ(v.last(), std::string(100, 'x'));
    while (v.size() < v.capacity())
        ASSERT_FALSE(v.try_append(std::string("filler")).is_error());
    ASSERT_FALSE(v.try_insert(1, v[0]).is_error());
    EXPECT_EQ(v[1], std::string(100, 'x'));
    ASSERT_FALSE(v.try_extend(v.span()).is_error());
    EXPECT_EQ(v.size() % 2, 0u);
    for (usize i = 0; i < v.size() / 2; ++i)
        EXPECT_EQ(v[i], v[i + v.size() / 2]);
}

TEST_F(VectorTest, FailedGrowthLeavesVectorUnchanged)
{
    Vector<Tracked> v;
    for (int i = 0; i < 4; ++i)
        ASSERT_FALSE(v.try_emplace_back(i).is_error());
    ASSERT_EQ(v.size(), v.capacity());
    Tracked* data = v.data();
    long live = Tracked::live;

    host_allocator::FailureScope failing;
    Tracked extra(42);
    auto result = v.try_append(lib::move(extra));
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ENOMEM);
    EXPECT_EQ(extra.value, 42) << "the caller keeps the value on failure";
    EXPECT_EQ(v.try_insert(1, Tracked(7)).error().code(), ENOMEM);
    EXPECT_EQ(v.try_ensure_capacity(100).error().code(), ENOMEM);
    EXPECT_EQ(v.try_resize(50).error().code(), ENOMEM);
    Tracked more[2] { Tracked(1), Tracked(2) };
    EXPECT_EQ(v.try_extend(Span<const Tracked>(more)).error().code(), ENOMEM);
    EXPECT_EQ(v.try_clone().error().code(), ENOMEM);

    EXPECT_EQ(v.data(), data);
    EXPECT_EQ(v.capacity(), 4u);
    EXPECT_EQ(values_of(v), (std::vector<int> { 0, 1, 2, 3 }));
    EXPECT_EQ(Tracked::live, live + 3);
    // Operations within capacity need no memory.
    v.remove(0);
    EXPECT_FALSE(v.try_append(Tracked(9)).is_error());
    EXPECT_EQ(values_of(v), (std::vector<int> { 1, 2, 3, 9 }));
}

TEST_F(VectorTest, InlineCapacityNeedsNoAllocation)
{
    usize before = host_allocator::allocation_count();
    Vector<Tracked, 8> v;
    {
        host_allocator::FailureScope failing;
        for (int i = 0; i < 8; ++i)
            ASSERT_FALSE(v.try_emplace_back(i).is_error());
        EXPECT_TRUE(v.is_inline());
        EXPECT_EQ(v.try_append(Tracked(8)).error().code(), ENOMEM);
    }
    EXPECT_EQ(host_allocator::allocation_count(), before);
    ASSERT_FALSE(v.try_append(Tracked(8)).is_error());
    EXPECT_FALSE(v.is_inline());

    // Moving a heap vector steals the buffer; moving an inline one moves elements.
    Vector<Tracked, 8> moved(lib::move(v));
    EXPECT_EQ(v.size(), 0u);
    EXPECT_EQ(moved.size(), 9u);
    moved.clear();
    EXPECT_TRUE(moved.is_inline());
    ASSERT_FALSE(moved.try_emplace_back(5).is_error());
    Vector<Tracked, 8> inline_moved;
    inline_moved = lib::move(moved);
    EXPECT_TRUE(inline_moved.is_inline());
    EXPECT_EQ(values_of(inline_moved), (std::vector<int> { 5 }));
    EXPECT_TRUE(moved.is_empty());
}

TEST_F(VectorTest, ReservedCapacityAllowsUncheckedAppend)
{
    Vector<int> v;
    ASSERT_FALSE(v.try_ensure_capacity(16).is_error());
    host_allocator::FailureScope failing;
    for (int i = 0; i < 16; ++i)
        v.unchecked_append(i);
    EXPECT_EQ(v.size(), 16u);
}

TEST(VectorDeathTest, OutOfBoundsIsAnInvariantViolation)
{
    Vector<int> v;
    ASSERT_FALSE(v.try_append(1).is_error());
    EXPECT_DEATH((void)v[1], "VERIFY\\(index < m_size\\)");
    EXPECT_DEATH(v.remove(3), "VERIFY");
    EXPECT_DEATH((void)Vector<int>().take_last(), "VERIFY");
    EXPECT_DEATH((void)v.try_insert(2, 5), "VERIFY");
    auto overfill = [] {
        Vector<int, 1> full;
        full.unchecked_append(1);
        full.unchecked_append(2);
    };
    EXPECT_DEATH(overfill(), "VERIFY");
}

// Random operations on Vector<Tracked> and a std::vector model; one in eight
// runs with allocation failing after a random number of successes, and then
// must either complete or leave the vector exactly as it was.
TEST_F(VectorTest, MatchesStdVectorUnderRandomOperationsAndFailures)
{
    std::mt19937_64 rng(0x05b7e1);
    Vector<Tracked, 4> v;
    std::vector<int> model;
    usize failures = 0;
    for (int step = 0; step < 200000; ++step) {
        bool inject = rng() % 8 == 0;
        if (inject)
            host_allocator::fail_after(rng() % 2);
        int value = static_cast<int>(rng() % 1000000);
        int op = static_cast<int>(rng() % 100);
        bool failed = false;
        if (op < 40) {
            auto result = v.try_append(Tracked(value));
            failed = result.is_error();
            if (!failed)
                model.push_back(value);
        } else if (op < 55) {
            usize index = rng() % (model.size() + 1);
            auto result = v.try_insert(index, Tracked(value));
            failed = result.is_error();
            if (!failed)
                model.insert(model.begin() + static_cast<isize>(index), value);
        } else if (op < 75) {
            if (!model.empty()) {
                usize index = rng() % model.size();
                v.remove(index);
                model.erase(model.begin() + static_cast<isize>(index));
            }
        } else if (op < 90) {
            if (!model.empty()) {
                ASSERT_EQ(v.take_last().value, model.back());
                model.pop_back();
            }
        } else if (op < 96) {
            auto result = v.try_ensure_capacity(model.size() + rng() % 64);
            failed = result.is_error();
        } else if (op < 98) {
            usize size = rng() % 64;
            auto result = v.try_resize(size);
            failed = result.is_error();
            if (!failed)
                model.resize(size, 0);
        } else {
            if (rng() % 2)
                v.clear();
            else
                v.clear_with_capacity();
            model.clear();
        }
        host_allocator::reset();
        if (failed) {
            ASSERT_TRUE(inject);
            ++failures;
        }
        ASSERT_EQ(v.size(), model.size()) << "step " << step;
        ASSERT_GE(v.capacity(), v.size());
        ASSERT_EQ(Tracked::live, static_cast<long>(model.size())) << "step " << step;
        if (!model.empty()) {
            usize probe = rng() % model.size();
            ASSERT_EQ(v[probe].value, model[probe]) << "step " << step;
        }
        if (step % 1000 == 0)
            ASSERT_EQ(values_of(v), model) << "step " << step;
    }
    EXPECT_EQ(values_of(v), model);
    EXPECT_GT(failures, 100u) << "the failure paths were exercised";
}

} // namespace
