// The wall clock as an offset over the monotonic clock: setting, advancing
// with the monotonic clock, times earlier than the uptime, and the
// conversion of absolute realtime deadlines.
#include <gtest/gtest.h>
#include <kernel/time/Clock.h>
#include <kernel/time/WallClock.h>

namespace {

// One count per nanosecond, advanced by hand.
class ManualSource final : public ktime::ClockSource {
public:
    StringView name() const override { return "manual"; }
    u64 read() override { return counter; }
    u64 frequency_hz() const override { return ktime::NS_PER_SECOND; }
    u64 counter { 0 };
};

class WallClockTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        ktime::reset_for_testing();
        ASSERT_FALSE(ktime::set_source(m_source).is_error());
        ktime::set_realtime_ns(0);
    }
    void TearDown() override
    {
        ktime::set_realtime_ns(0);
        ktime::reset_for_testing();
    }
    ManualSource m_source;
};

constexpr u64 SECOND = ktime::NS_PER_SECOND;

} // namespace

TEST_F(WallClockTest, FollowsTheMonotonicClockFromWhereItWasSet)
{
    m_source.counter = 5 * SECOND;
    u64 uptime = ktime::monotonic_ns();
    u64 boot_time = 1'795'284'000 * SECOND;
    ktime::set_realtime_ns(boot_time);
    EXPECT_EQ(ktime::realtime_ns(), boot_time);
    m_source.counter += 90 * SECOND;
    EXPECT_EQ(ktime::monotonic_ns(), uptime + 90 * SECOND);
    EXPECT_EQ(ktime::realtime_ns(), boot_time + 90 * SECOND);
}

TEST_F(WallClockTest, CanBeSetBeforeTheUptimeAndNeverReadsNegative)
{
    m_source.counter = 100 * SECOND;
    ktime::set_realtime_ns(10 * SECOND); // the offset becomes negative
    EXPECT_EQ(ktime::realtime_ns(), 10 * SECOND);
    m_source.counter += SECOND;
    EXPECT_EQ(ktime::realtime_ns(), 11 * SECOND);
    ktime::set_realtime_ns(0);
    EXPECT_EQ(ktime::realtime_ns(), 0u);
}

TEST_F(WallClockTest, AbsoluteDeadlinesBecomeMonotonic)
{
    m_source.counter = 7 * SECOND;
    u64 uptime = ktime::monotonic_ns();
    u64 now = 1'000'000 * SECOND;
    ktime::set_realtime_ns(now);
    EXPECT_EQ(ktime::realtime_to_monotonic_ns(now + 3 * SECOND), uptime + 3 * SECOND);
    EXPECT_EQ(ktime::realtime_to_monotonic_ns(now), uptime);
    EXPECT_EQ(ktime::realtime_to_monotonic_ns(0), 0u); // long past: due at once
    EXPECT_EQ(ktime::realtime_to_monotonic_ns(~u64(0) - 5), ~u64(0) - 1);

    // A negative offset cannot push a deadline past the end of the range.
    m_source.counter = 100 * SECOND;
    ktime::set_realtime_ns(0);
    EXPECT_EQ(ktime::realtime_to_monotonic_ns(~u64(0) >> 1), ~u64(0) - 1);
    EXPECT_EQ(ktime::realtime_to_monotonic_ns(SECOND), ktime::monotonic_ns() + SECOND);
}
