// The scheduling policy (kernel/sched/RunQueue.h) under simulated time:
// class and priority order, round robin and FIFO among realtime equals,
// fairness by weight among normal threads, sleeper placement, yields, the
// idle class, and that no normal thread starves.
#include <gtest/gtest.h>
#include <kernel/sched/RunQueue.h>
#include <map>
#include <vector>

using namespace sched;

namespace {

constexpr u64 TICK_NS = 4'000'000; // the kernel's 250 Hz tick

struct Realtime : SchedEntity {
    explicit Realtime(u8 priority, RealtimePolicy policy = RealtimePolicy::RoundRobin)
    {
        scheduling_class = SchedulingClass::Realtime;
        realtime_priority = priority;
        realtime_policy = policy;
    }
};

struct Normal : SchedEntity {
    explicit Normal(i8 nice_value = 0) { set_nice(nice_value); }
};

struct IdleClass : SchedEntity {
    IdleClass() { scheduling_class = SchedulingClass::Idle; }
};

// A CPU that runs whatever the policy picks and charges it one tick at a
// time, switching when account() says so. Entities must be declared before
// the simulator, so the queue unlinks them before they are destroyed.
struct Simulator {
    RunQueue queue;
    SchedEntity* running { nullptr };

    void add(SchedEntity& entity, Placement placement = Placement::New) { queue.enqueue(entity, placement); }

    // Runs one tick; returns the entity that ran it.
    SchedEntity* tick()
    {
        if (!running)
            running = queue.pick_next();
        SchedEntity* ran = running;
        if (ran && queue.account(*ran, TICK_NS)) {
            queue.deschedule(*ran, DescheduleReason::Preempted);
            running = queue.pick_next();
        }
        return ran;
    }

    // Runs `ticks` ticks and returns the ticks each entity got.
    std::map<SchedEntity*, u64> run(u64 ticks)
    {
        std::map<SchedEntity*, u64> share;
        for (u64 i = 0; i < ticks; ++i)
            ++share[tick()];
        return share;
    }

    void block_running()
    {
        queue.deschedule(*running, DescheduleReason::Blocked);
        running = nullptr;
    }

    // Wakes `entity`; switches at once if the policy says the woken one preempts.
    void wake(SchedEntity& entity)
    {
        queue.enqueue(entity, Placement::Wakeup);
        if (running && queue.should_preempt(*running, entity)) {
            queue.deschedule(*running, DescheduleReason::Preempted);
            running = queue.pick_next();
        }
    }
};

TEST(RunQueue, NiceWeights)
{
    EXPECT_EQ(weight_for_nice(0), NICE_0_WEIGHT);
    EXPECT_EQ(weight_for_nice(-20), 88818u);
    EXPECT_EQ(weight_for_nice(19), 15u);
    EXPECT_EQ(weight_for_nice(-100), weight_for_nice(NICE_MIN));
    EXPECT_EQ(weight_for_nice(100), weight_for_nice(NICE_MAX));
    for (int nice = NICE_MIN; nice < NICE_MAX; ++nice) {
        double ratio = double(weight_for_nice(i8(nice))) / weight_for_nice(i8(nice + 1));
        EXPECT_NEAR(ratio, 1.25, 0.06) << "nice " << nice;
    }
}

TEST(RunQueue, ClassesAndPrioritiesInOrder)
{
    IdleClass background;
    Normal plain;
    Realtime low(3);
    Realtime high(10);
    RunQueue queue;
    queue.enqueue(background, Placement::New);
    queue.enqueue(plain, Placement::New);
    queue.enqueue(low, Placement::New);
    queue.enqueue(high, Placement::New);
    EXPECT_EQ(queue.queued_count(), 4u);

    std::vector<SchedEntity*> order;
    while (SchedEntity* next = queue.pick_next()) {
        order.push_back(next);
        queue.deschedule(*next, DescheduleReason::Blocked);
    }
    EXPECT_EQ(order, (std::vector<SchedEntity*> { &high, &low, &plain, &background }));
    EXPECT_EQ(queue.queued_count(), 0u);
}

TEST(RunQueue, WokenThreadPreemptsOnlyALowerClassOrPriority)
{
    IdleClass background;
    Normal plain;
    Realtime low(3);
    Realtime high(10);
    RunQueue queue;
    EXPECT_TRUE(queue.should_preempt(background, plain));
    EXPECT_TRUE(queue.should_preempt(plain, low));
    EXPECT_TRUE(queue.should_preempt(low, high));
    EXPECT_FALSE(queue.should_preempt(high, low));
    EXPECT_FALSE(queue.should_preempt(low, plain));
    EXPECT_FALSE(queue.should_preempt(plain, background));
    IdleClass other_idle;
    EXPECT_FALSE(queue.should_preempt(background, other_idle));
}

TEST(RunQueue, RealtimeRoundRobinTakesTurnsBySlice)
{
    Realtime a(5), b(5), c(5);
    Simulator cpu;
    cpu.add(a);
    cpu.add(b);
    cpu.add(c);
    constexpr u64 SLICE_TICKS = REALTIME_SLICE_NS / TICK_NS;
    std::vector<SchedEntity*> expected;
    for (int round = 0; round < 3; ++round) {
        for (SchedEntity* entity : { &a, &b, &c })
            expected.insert(expected.end(), SLICE_TICKS, entity);
    }
    std::vector<SchedEntity*> ran;
    for (usize i = 0; i < expected.size(); ++i)
        ran.push_back(cpu.tick());
    EXPECT_EQ(ran, expected);
}

TEST(RunQueue, RealtimeFifoKeepsTheCpuUntilItYields)
{
    Realtime a(5, RealtimePolicy::Fifo), b(5, RealtimePolicy::Fifo);
    Simulator cpu;
    cpu.add(a);
    cpu.add(b);
    auto share = cpu.run(1000);
    EXPECT_EQ(share[&a], 1000u);
    EXPECT_EQ(share[&b], 0u);

    cpu.queue.deschedule(a, DescheduleReason::Yielded);
    cpu.running = cpu.queue.pick_next();
    EXPECT_EQ(cpu.running, &b);
}

TEST(RunQueue, RealtimeAloneKeepsItsTurnWhenItsSliceEnds)
{
    Realtime a(5);
    Simulator cpu;
    cpu.add(a);
    EXPECT_EQ(cpu.run(100)[&a], 100u);
}

TEST(RunQueue, PreemptedRealtimeThreadResumesBeforeItsEquals)
{
    Realtime a(5), b(5), urgent(9);
    Simulator cpu;
    cpu.add(a);
    cpu.add(b);
    EXPECT_EQ(cpu.tick(), &a);
    cpu.wake(urgent);
    EXPECT_EQ(cpu.running, &urgent);
    cpu.block_running();
    // a did not use up its slice: it goes back to the head of priority 5.
    EXPECT_EQ(cpu.tick(), &a);
}

TEST(RunQueue, YieldingRealtimeThreadGoesBehindItsEquals)
{
    Realtime a(5), b(5), c(5);
    RunQueue queue;
    queue.enqueue(a, Placement::New);
    queue.enqueue(b, Placement::New);
    queue.enqueue(c, Placement::New);
    SchedEntity* first = queue.pick_next();
    queue.deschedule(*first, DescheduleReason::Yielded);
    EXPECT_EQ(queue.pick_next(), &b);
    queue.deschedule(b, DescheduleReason::Yielded);
    EXPECT_EQ(queue.pick_next(), &c);
    queue.deschedule(c, DescheduleReason::Blocked);
    EXPECT_EQ(queue.pick_next(), &a);
    queue.deschedule(a, DescheduleReason::Blocked);
    EXPECT_EQ(queue.pick_next(), &b);
    queue.deschedule(b, DescheduleReason::Blocked);
}

TEST(RunQueue, EqualWeightsShareEqually)
{
    Normal a, b;
    Simulator cpu;
    cpu.add(a);
    cpu.add(b);
    auto share = cpu.run(3000);
    EXPECT_NEAR(double(share[&a]) / 3000, 0.5, 0.01);
    EXPECT_NEAR(double(share[&b]) / 3000, 0.5, 0.01);
}

TEST(RunQueue, WeightsTwoToOneShareTwoToOne)
{
    Normal heavy, light;
    heavy.weight = 2 * NICE_0_WEIGHT;
    Simulator cpu;
    cpu.add(heavy);
    cpu.add(light);
    auto share = cpu.run(3000);
    EXPECT_NEAR(double(share[&heavy]) / share[&light], 2.0, 0.1);
}

TEST(RunQueue, NiceValuesShareByTheirWeights)
{
    Normal a(-5), b(0), c(5);
    Simulator cpu;
    cpu.add(a);
    cpu.add(b);
    cpu.add(c);
    auto share = cpu.run(6000);
    double total = weight_for_nice(-5) + weight_for_nice(0) + weight_for_nice(5);
    EXPECT_NEAR(double(share[&a]) / 6000, weight_for_nice(-5) / total, 0.02);
    EXPECT_NEAR(double(share[&b]) / 6000, weight_for_nice(0) / total, 0.02);
    EXPECT_NEAR(double(share[&c]) / 6000, weight_for_nice(5) / total, 0.02);
}

TEST(RunQueue, NewThreadStartsAtMinVruntime)
{
    Normal old, fresh;
    Simulator cpu;
    cpu.add(old);
    cpu.run(100);
    EXPECT_GT(cpu.queue.min_vruntime(), 0u);
    cpu.add(fresh);
    EXPECT_EQ(fresh.vruntime, cpu.queue.min_vruntime());
    // So it gets a fair share from now on, not the 100 ticks it "missed".
    auto share = cpu.run(1000);
    EXPECT_NEAR(double(share[&fresh]) / 1000, 0.5, 0.02);
}

TEST(RunQueue, SleeperGetsABoundedHeadStart)
{
    Normal hog, sleeper;
    Simulator cpu;
    cpu.add(hog);
    cpu.add(sleeper);
    while (cpu.running != &sleeper)
        cpu.tick();
    cpu.block_running(); // the sleeper sleeps for 1000 ticks
    cpu.run(1000);
    ASSERT_EQ(cpu.running, &hog);

    u64 min_vruntime = cpu.queue.min_vruntime();
    cpu.wake(sleeper);
    EXPECT_EQ(sleeper.vruntime, min_vruntime - SLEEPER_BONUS_NS);
    EXPECT_EQ(cpu.running, &sleeper); // it preempts the hog at once...
    // ...but only for about its bonus plus a slice, not the 1000 ticks it slept.
    u64 consecutive = 0;
    while (cpu.tick() == &sleeper)
        ++consecutive;
    EXPECT_GE(consecutive, 1u);
    EXPECT_LE(consecutive * TICK_NS, SLEEPER_BONUS_NS + SCHED_LATENCY_NS);
    auto share = cpu.run(1000);
    EXPECT_NEAR(double(share[&sleeper]) / 1000, 0.5, 0.02);
}

TEST(RunQueue, ShortSleeperKeepsItsOwnVruntime)
{
    Normal a, b;
    RunQueue queue;
    queue.enqueue(a, Placement::New);
    queue.enqueue(b, Placement::New);
    ASSERT_EQ(queue.pick_next(), &a);
    queue.account(a, 2 * TICK_NS);
    queue.deschedule(a, DescheduleReason::Blocked);
    ASSERT_EQ(queue.pick_next(), &b);
    queue.account(b, TICK_NS);
    u64 own = a.vruntime;
    queue.enqueue(a, Placement::Wakeup);
    EXPECT_EQ(a.vruntime, own); // max(own, min_vruntime - bonus) is its own
    EXPECT_FALSE(queue.should_preempt(b, a));
    queue.deschedule(b, DescheduleReason::Blocked);
}

TEST(RunQueue, YieldingNormalThreadLetsTheOthersRunFirst)
{
    Normal a, b, c;
    RunQueue queue;
    queue.enqueue(a, Placement::New);
    queue.enqueue(b, Placement::New);
    queue.enqueue(c, Placement::New);
    SchedEntity* first = queue.pick_next();
    ASSERT_EQ(first, &a);
    queue.deschedule(a, DescheduleReason::Yielded);
    SchedEntity* second = queue.pick_next();
    queue.deschedule(*second, DescheduleReason::Blocked);
    SchedEntity* third = queue.pick_next();
    queue.deschedule(*third, DescheduleReason::Blocked);
    EXPECT_NE(second, &a);
    EXPECT_NE(third, &a);
    EXPECT_EQ(queue.pick_next(), &a);
    queue.deschedule(a, DescheduleReason::Blocked);
}

TEST(RunQueue, IdleClassRunsOnlyWhenNothingElseCan)
{
    IdleClass background;
    Normal plain;
    Simulator cpu;
    cpu.add(background);
    EXPECT_EQ(cpu.run(10)[&background], 10u);
    cpu.wake(plain);
    EXPECT_EQ(cpu.running, &plain);
    EXPECT_EQ(cpu.run(100)[&background], 0u);
    cpu.block_running();
    EXPECT_EQ(cpu.tick(), &background);
}

TEST(RunQueue, AccountAsksForASwitchWhenAHigherClassIsQueued)
{
    IdleClass background;
    Normal plain;
    RunQueue queue;
    queue.enqueue(background, Placement::New);
    ASSERT_EQ(queue.pick_next(), &background);
    EXPECT_FALSE(queue.account(background, TICK_NS));
    queue.enqueue(plain, Placement::New);
    EXPECT_TRUE(queue.account(background, TICK_NS));
    queue.deschedule(background, DescheduleReason::Preempted);
    EXPECT_EQ(queue.pick_next(), &plain);
    queue.deschedule(plain, DescheduleReason::Blocked);
}

TEST(RunQueue, NoNormalThreadStarves)
{
    // Hogs of very different weights plus a thread that keeps sleeping and
    // waking: every hog must run within a bounded time, again and again.
    Normal hogs[5] = { Normal(-10), Normal(-5), Normal(0), Normal(5), Normal(19) };
    Normal napper;
    Simulator cpu;
    for (auto& hog : hogs)
        cpu.add(hog);
    cpu.add(napper);
    std::map<SchedEntity*, u64> last_ran;
    std::map<SchedEntity*, u64> longest_gap;
    bool napper_awake = true;
    u64 napper_ran = 0;
    for (u64 now = 0; now < 20000; ++now) {
        if (!napper_awake && now % 3 == 0) {
            cpu.wake(napper);
            napper_awake = true;
        }
        SchedEntity* ran = cpu.tick();
        longest_gap[ran] = std::max(longest_gap[ran], now - last_ran[ran]);
        last_ran[ran] = now;
        if (ran == &napper)
            ++napper_ran;
        if (napper_awake && cpu.running == &napper) {
            cpu.block_running();
            napper_awake = false;
        }
    }
    for (auto& hog : hogs) {
        EXPECT_GT(last_ran[&hog], 19000u);
        // nice 19 against nice -10: a weight ratio near 1000, so its turn
        // comes rarely, but it comes.
        EXPECT_LT(longest_gap[&hog], 2500u) << "nice " << int(hog.nice);
    }
    EXPECT_GT(napper_ran, 0u);
}

TEST(RunQueue, DequeueTakesAThreadOffWithoutRunningIt)
{
    Normal a;
    Realtime b(1);
    IdleClass c;
    RunQueue queue;
    queue.enqueue(a, Placement::New);
    queue.enqueue(b, Placement::New);
    queue.enqueue(c, Placement::New);
    queue.dequeue(b);
    queue.dequeue(a);
    EXPECT_EQ(queue.queued_count(), 1u);
    EXPECT_EQ(queue.pick_next(), &c);
    queue.deschedule(c, DescheduleReason::Blocked);
    EXPECT_EQ(queue.pick_next(), nullptr);
}

} // namespace
