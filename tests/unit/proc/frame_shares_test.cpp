// mm::FrameShares: the owner counts behind copy-on-write.
#include <gtest/gtest.h>
#include <kernel/mm/FrameShares.h>
#include <vector>

namespace {

constexpr PhysAddr BASE = 0x100000;

class FrameSharesTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_storage.assign(16, 0xbeef); // initialize must zero it
        m_shares.initialize(BASE, { m_storage.data(), m_storage.size() });
    }

    std::vector<u16> m_storage;
    mm::FrameShares m_shares;
};

TEST_F(FrameSharesTest, AFreshFrameHasOneOwner)
{
    EXPECT_TRUE(m_shares.is_initialized());
    EXPECT_FALSE(m_shares.is_shared(BASE));
    EXPECT_EQ(m_shares.extra_owners(BASE + 15 * PAGE_SIZE), 0);
    // The only owner dropping: nobody else holds it, the caller may free it.
    EXPECT_FALSE(m_shares.drop_share(BASE));
    EXPECT_EQ(m_shares.extra_owners(BASE), 0);
}

TEST_F(FrameSharesTest, ForkThenBothOwnersLetGo)
{
    ASSERT_FALSE(m_shares.share(BASE + PAGE_SIZE).is_error());
    EXPECT_TRUE(m_shares.is_shared(BASE + PAGE_SIZE));
    EXPECT_FALSE(m_shares.is_shared(BASE));
    // The first to let go leaves the frame to the other...
    EXPECT_TRUE(m_shares.drop_share(BASE + PAGE_SIZE));
    EXPECT_FALSE(m_shares.is_shared(BASE + PAGE_SIZE));
    // ...which is then the last owner.
    EXPECT_FALSE(m_shares.drop_share(BASE + PAGE_SIZE));
}

TEST_F(FrameSharesTest, CountsManyOwners)
{
    for (int i = 0; i < 255; ++i)
        ASSERT_FALSE(m_shares.share(BASE + 2 * PAGE_SIZE).is_error());
    EXPECT_EQ(m_shares.extra_owners(BASE + 2 * PAGE_SIZE), 255);
    int dropped = 0;
    while (m_shares.drop_share(BASE + 2 * PAGE_SIZE))
        ++dropped;
    EXPECT_EQ(dropped, 255);
}

TEST_F(FrameSharesTest, RejectsFramesOutsideTheRange)
{
    EXPECT_EQ(m_shares.share(BASE - PAGE_SIZE).error().code(), EINVAL);
    EXPECT_EQ(m_shares.share(BASE + 16 * PAGE_SIZE).error().code(), EINVAL);
    EXPECT_EQ(m_shares.share(BASE + 1).error().code(), EINVAL);
    EXPECT_FALSE(m_shares.drop_share(BASE + 16 * PAGE_SIZE));
    EXPECT_FALSE(m_shares.is_shared(BASE - PAGE_SIZE));
}

TEST_F(FrameSharesTest, SaturatesWithEoverflow)
{
    m_storage[3] = 0xffff;
    EXPECT_EQ(m_shares.share(BASE + 3 * PAGE_SIZE).error().code(), EOVERFLOW);
    EXPECT_EQ(m_shares.extra_owners(BASE + 3 * PAGE_SIZE), 0xffff);
}

TEST(FrameSharesUninitialized, AnswersSafely)
{
    mm::FrameShares shares;
    EXPECT_FALSE(shares.is_initialized());
    EXPECT_EQ(shares.share(BASE).error().code(), EINVAL);
    EXPECT_FALSE(shares.drop_share(BASE));
}

} // namespace
