// The monotonic clock over fake counters: conversion at several frequencies,
// no overflow over long intervals, continuity across a source switch, the
// never-backward clamp, busy sleeping, ticks, and 32-bit wrap extension.
#include <gtest/gtest.h>
#include <kernel/time/Clock.h>
#include <kernel/time/WrapExtender.h>

namespace {

class FakeSource final : public ktime::ClockSource {
public:
    FakeSource(u64 frequency, u64 start, u64 step_per_read = 0)
        : m_frequency(frequency)
        , counter(start)
        , step(step_per_read)
    {
    }
    StringView name() const override { return "fake"; }
    u64 read() override
    {
        u64 value = counter;
        counter += step;
        ++reads;
        return value;
    }
    u64 frequency_hz() const override { return m_frequency; }

    u64 m_frequency;
    u64 counter;
    u64 step;
    u64 reads { 0 };
};

class ClockTest : public ::testing::Test {
protected:
    void SetUp() override { ktime::reset_for_testing(); }
    void TearDown() override { ktime::reset_for_testing(); }
};

TEST_F(ClockTest, ZeroWithoutSource)
{
    EXPECT_EQ(ktime::source(), nullptr);
    EXPECT_EQ(ktime::monotonic_ns(), 0u);
    ktime::sleep_busy_ns(1000); // must return
    EXPECT_EQ(ktime::uptime_ns(), 0u);
}

TEST_F(ClockTest, RefusesImpossibleFrequencies)
{
    FakeSource zero(0, 0), fast(20'000'000'000ull, 0);
    EXPECT_EQ(ktime::set_source(zero).error().code(), EINVAL);
    EXPECT_EQ(ktime::set_source(fast).error().code(), EINVAL);
    EXPECT_EQ(ktime::source(), nullptr);
}

TEST_F(ClockTest, StartsAtZeroAndConvertsAtSeveralFrequencies)
{
    FakeSource hpet(100'000'000, 123456789); // 10 ns per count
    ASSERT_FALSE(ktime::set_source(hpet).is_error());
    EXPECT_EQ(ktime::source(), &hpet);
    EXPECT_EQ(ktime::monotonic_ns(), 0u);
    hpet.counter += 100;
    EXPECT_EQ(ktime::monotonic_ns(), 1000u);
    hpet.counter += 100'000'000; // one more second
    EXPECT_EQ(ktime::monotonic_ns(), 1'000'001'000u);
    EXPECT_EQ(ktime::uptime_ns(), 1'000'001'000u);
}

TEST_F(ClockTest, OddFrequencyStaysAccurate)
{
    FakeSource pit_like(14'318'180, 0);
    ASSERT_FALSE(ktime::set_source(pit_like).is_error());
    pit_like.counter = 14'318'180ull * 3600; // one hour
    u64 ns = ktime::monotonic_ns();
    u64 hour = 3600ull * ktime::NS_PER_SECOND;
    EXPECT_LE(ns, hour);
    EXPECT_GE(ns, hour - 1);
}

TEST_F(ClockTest, LongIntervalsDoNotOverflow)
{
    FakeSource tsc(3'000'000'000ull, 5);
    ASSERT_FALSE(ktime::set_source(tsc).is_error());
    u64 days = 400;
    tsc.counter = 5 + 3'000'000'000ull * 86400 * days;
    u64 expected = 86400ull * days * ktime::NS_PER_SECOND;
    u64 ns = ktime::monotonic_ns();
    EXPECT_LE(ns, expected);
    EXPECT_GE(ns, expected - 1); // exact but for the final truncation
}

TEST_F(ClockTest, SwitchingSourcesContinuesWithoutAJump)
{
    FakeSource hpet(100'000'000, 0);
    ASSERT_FALSE(ktime::set_source(hpet).is_error());
    hpet.counter = 500'000'000; // 5 s
    FakeSource tsc(2'000'000'000, 987654321);
    ASSERT_FALSE(ktime::set_source(tsc).is_error());
    EXPECT_EQ(ktime::monotonic_ns(), 5'000'000'000u);
    tsc.counter += 2'000'000'000; // one more second on the new source
    EXPECT_EQ(ktime::monotonic_ns(), 6'000'000'000u);
    hpet.counter = 0; // the old source no longer matters
    EXPECT_EQ(ktime::monotonic_ns(), 6'000'000'000u);
}

TEST_F(ClockTest, NeverGoesBackward)
{
    FakeSource tsc(1'000'000'000, 1000);
    ASSERT_FALSE(ktime::set_source(tsc).is_error());
    tsc.counter = 5000;
    EXPECT_EQ(ktime::monotonic_ns(), 4000u);
    tsc.counter = 3000; // e.g. another CPU's counter slightly behind
    EXPECT_EQ(ktime::monotonic_ns(), 4000u);
    tsc.counter = 500; // even behind the base
    EXPECT_EQ(ktime::monotonic_ns(), 4000u);
    tsc.counter = 6000;
    EXPECT_EQ(ktime::monotonic_ns(), 5000u);
}

TEST_F(ClockTest, BusySleepWaitsLongEnough)
{
    FakeSource ticking(1'000'000'000, 0, 100); // advances 100 ns per read
    ASSERT_FALSE(ktime::set_source(ticking).is_error());
    u64 start = ktime::monotonic_ns();
    ktime::sleep_busy_ns(10'000);
    u64 end = ktime::monotonic_ns();
    EXPECT_GE(end - start, 10'000u);
    EXPECT_LT(end - start, 10'000u + 1000);
    EXPECT_GE(ticking.reads, 100u);
}

TEST_F(ClockTest, TicksCountAndSampleTheClock)
{
    FakeSource hpet(100'000'000, 0);
    ASSERT_FALSE(ktime::set_source(hpet).is_error());
    u64 reads = hpet.reads;
    for (int i = 0; i < 5; ++i)
        ktime::tick();
    EXPECT_EQ(ktime::ticks(), 5u);
    EXPECT_GE(hpet.reads, reads + 5);
    ktime::set_tick_rate(250);
    EXPECT_EQ(ktime::tick_rate_hz(), 250u);
}

TEST(WrapExtender, FollowsWrapsAndIgnoresStaleReads)
{
    ktime::WrapExtender extender;
    extender.reset(0xfffffff0u);
    EXPECT_EQ(extender.extend(0xfffffff8u), 0xfffffff8u);
    EXPECT_EQ(extender.extend(0x00000010u), 0x100000010ull); // wrapped
    EXPECT_EQ(extender.extend(0x00000008u), 0x100000010ull); // stale: no backward step, no false wrap
    EXPECT_EQ(extender.extend(0x7fffffffu), 0x17fffffffull);
    EXPECT_EQ(extender.extend(0xf0000000u), 0x1f0000000ull);
    EXPECT_EQ(extender.extend(0x00000001u), 0x200000001ull); // second wrap
    u64 previous = 0;
    u32 raw = 0;
    for (int i = 0; i < 100; ++i) { // many wraps in steps just under half
        raw += 0x7fff0000u;
        u64 value = extender.extend(raw);
        EXPECT_GT(value, previous);
        previous = value;
    }
}

} // namespace
