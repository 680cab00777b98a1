// OwnPtr: ownership transfer, conversion to a base, and ENOMEM from try_make.
#include <gtest/gtest.h>
#include <kernel/lib/OwnPtr.h>
#include <tests/unit/support/HostAllocator.h>
#include <tests/unit/support/Tracked.h>

namespace {

struct Base {
    virtual ~Base() { ++destroyed; }
    virtual int kind() const { return 0; }
    static inline int destroyed = 0;
};
struct Derived : Base {
    explicit Derived(int v)
        : value(v)
    {
    }
    int kind() const override { return value; }
    int value;
};

struct Aggregate {
    int a;
    long b;
};

class OwnPtrTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        Tracked::reset_counters();
        Base::destroyed = 0;
    }
    void TearDown() override
    {
        host_allocator::reset();
        EXPECT_EQ(Tracked::live, 0);
        EXPECT_EQ(Tracked::misuse, 0);
    }
};

TEST_F(OwnPtrTest, OwnsAndDeletesOnce)
{
    {
        auto made = try_make<Tracked>(7);
        ASSERT_FALSE(made.is_error());
        OwnPtr<Tracked> owner = made.release_value();
        EXPECT_EQ(owner->value, 7);
        EXPECT_EQ((*owner).value, 7);
        EXPECT_EQ(Tracked::live, 1);

        OwnPtr<Tracked> second = lib::move(owner);
        EXPECT_TRUE(owner.is_null());
        EXPECT_FALSE(owner);
        EXPECT_TRUE(second);
        EXPECT_EQ(Tracked::live, 1);

        second = OwnPtr<Tracked>::adopt(new Tracked(8));
        EXPECT_EQ(Tracked::live, 1) << "assigning deleted the old object";
        EXPECT_EQ(second->value, 8);

        Tracked* raw = second.leak_ptr();
        EXPECT_TRUE(second == nullptr);
        auto readopted = adopt_own_if_nonnull(raw);
        ASSERT_FALSE(readopted.is_error());
        EXPECT_EQ(readopted.value().ptr(), raw);
    }
    EXPECT_EQ(Tracked::live, 0);
    EXPECT_EQ(Tracked::destructions, 2);
}

TEST_F(OwnPtrTest, DerivedConvertsToBase)
{
    {
        OwnPtr<Base> base = MUST(try_make<Derived>(5));
        EXPECT_EQ(base->kind(), 5);
        OwnPtr<Derived> derived = MUST(try_make<Derived>(6));
        base = lib::move(derived);
        EXPECT_EQ(Base::destroyed, 1);
        EXPECT_EQ(base->kind(), 6);
    }
    EXPECT_EQ(Base::destroyed, 2);
}

TEST_F(OwnPtrTest, AggregatesAreBraceInitialized)
{
    auto made = try_make<Aggregate>(1, 2L);
    ASSERT_FALSE(made.is_error());
    EXPECT_EQ(made.value()->a, 1);
    EXPECT_EQ(made.value()->b, 2);
}

TEST_F(OwnPtrTest, AllocationFailureIsEnomemAndConstructsNothing)
{
    host_allocator::FailureScope failing;
    auto made = try_make<Tracked>(1);
    ASSERT_TRUE(made.is_error());
    EXPECT_EQ(made.error().code(), ENOMEM);
    EXPECT_EQ(Tracked::constructions, 0);
    EXPECT_EQ(adopt_own_if_nonnull<Tracked>(nullptr).error().code(), ENOMEM);
}

TEST(OwnPtrDeathTest, DereferencingNullIsAnInvariantViolation)
{
    OwnPtr<int> empty;
    EXPECT_DEATH((void)*empty, "VERIFY\\(m_pointer\\)");
}

} // namespace
