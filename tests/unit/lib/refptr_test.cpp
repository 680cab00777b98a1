// RefCounted, RefPtr and NonnullRefPtr: counts, adoption, deletion exactly
// once (also with references dropped on several threads), and ENOMEM.
#include <gtest/gtest.h>
#include <kernel/lib/RefPtr.h>
#include <tests/unit/support/HostAllocator.h>
#include <thread>
#include <vector>

namespace {

struct Counted : RefCounted<Counted> {
    explicit Counted(int v)
        : value(v)
    {
        ++live;
    }
    ~Counted() { --live; }
    int value;
    static inline int live = 0;
};

struct Animal : RefCounted<Animal> {
    virtual ~Animal() = default;
    virtual int legs() const { return 0; }
};
struct Dog : Animal {
    int legs() const override { return 4; }
};

TEST(RefPtr, CountsReferencesAndDeletesOnLastDrop)
{
    Counted::live = 0;
    {
        NonnullRefPtr<Counted> first = MUST(try_make_ref_counted<Counted>(3));
        EXPECT_EQ(first->ref_count(), 1u);
        {
            // NOLINTNEXTLINE(performance-unnecessary-copy-initialization): the copy is what this test counts.
            NonnullRefPtr<Counted> second = first;
            RefPtr<Counted> third = second;
            RefPtr<Counted> fourth = third;
            EXPECT_EQ(first->ref_count(), 4u);
            fourth.clear();
            EXPECT_EQ(first->ref_count(), 3u);
            RefPtr<Counted> moved = lib::move(third);
            EXPECT_TRUE(third.is_null());
            EXPECT_EQ(first->ref_count(), 3u);
            NonnullRefPtr<Counted> back = moved.release_nonnull();
            EXPECT_TRUE(moved.is_null());
            EXPECT_EQ(first->ref_count(), 3u);
        }
        EXPECT_EQ(first->ref_count(), 1u);
        EXPECT_EQ(Counted::live, 1);
        RefPtr<Counted> nullable;
        EXPECT_FALSE(nullable);
        nullable = first;
        EXPECT_EQ(nullable.ptr(), first.ptr());
        EXPECT_TRUE(nullable == first.ptr());
    }
    EXPECT_EQ(Counted::live, 0);
}

TEST(RefPtr, AdoptTakesOverTheInitialReference)
{
    Counted::live = 0;
    {
        auto* raw = new Counted(1);
        NonnullRefPtr<Counted> adopted = adopt_ref(*raw);
        EXPECT_EQ(adopted->ref_count(), 1u);
        RefPtr<Counted> extra(raw);
        EXPECT_EQ(adopted->ref_count(), 2u);
    }
    EXPECT_EQ(Counted::live, 0);
}

TEST(RefPtr, DerivedConvertsToBaseAndDeletesThroughMostDerivedType)
{
    NonnullRefPtr<Dog> dog = MUST(try_make_ref_counted<Dog>());
    NonnullRefPtr<Animal> animal = dog;
    RefPtr<Animal> nullable = dog;
    EXPECT_EQ(animal->legs(), 4);
    EXPECT_EQ(dog->ref_count(), 3u);
}

TEST(RefPtr, AllocationFailureIsEnomem)
{
    Counted::live = 0;
    host_allocator::FailureScope failing;
    auto made = try_make_ref_counted<Counted>(1);
    ASSERT_TRUE(made.is_error());
    EXPECT_EQ(made.error().code(), ENOMEM);
    EXPECT_EQ(Counted::live, 0);
}

TEST(RefPtr, ReferencesTakenAndDroppedOnManyThreads)
{
    Counted::live = 0;
    NonnullRefPtr<Counted> shared = MUST(try_make_ref_counted<Counted>(9));
    std::vector<std::thread> threads;
    threads.reserve(4);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([copy = shared]() mutable {
            for (int i = 0; i < 50000; ++i) {
                RefPtr<Counted> local = copy;
                // NOLINTNEXTLINE(performance-unnecessary-copy-initialization): the copies race on the count.
                NonnullRefPtr<Counted> another = copy;
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(shared->ref_count(), 1u);
    EXPECT_EQ(Counted::live, 1);
}

TEST(RefPtrDeathTest, UsingAMovedFromNonnullRefPtrIsAnInvariantViolation)
{
    NonnullRefPtr<Counted> moved_from = MUST(try_make_ref_counted<Counted>(1));
    NonnullRefPtr<Counted> taker = lib::move(moved_from);
    EXPECT_DEATH((void)moved_from->value, "VERIFY\\(m_pointer\\)");
    EXPECT_EQ(taker->ref_count(), 1u);
}

} // namespace
