// The sleepers' deadline queue (kernel/sched/TimerQueue.h): ordering, ties,
// removal, and that pop_expired hands out exactly the expired entries.
#include <gtest/gtest.h>
#include <kernel/sched/TimerQueue.h>
#include <vector>

using namespace sched;

namespace {

TEST(TimerQueue, ExpiresExactlyThePassedDeadlinesInOrder)
{
    TimerEntry entries[5];
    const u64 deadlines[5] = { 50, 10, 40, 20, 30 };
    TimerQueue queue;
    for (usize i = 0; i < 5; ++i) {
        entries[i].deadline_ns = deadlines[i];
        queue.insert(entries[i]);
        EXPECT_TRUE(entries[i].is_armed());
    }
    EXPECT_EQ(queue.next_deadline(), 10u);
    EXPECT_EQ(queue.pop_expired(9), nullptr);

    std::vector<u64> expired;
    while (TimerEntry* entry = queue.pop_expired(30)) {
        EXPECT_FALSE(entry->is_armed());
        expired.push_back(entry->deadline_ns);
    }
    EXPECT_EQ(expired, (std::vector<u64> { 10, 20, 30 }));
    EXPECT_EQ(queue.size(), 2u);
    EXPECT_EQ(queue.next_deadline(), 40u);
    EXPECT_EQ(queue.pop_expired(1000)->deadline_ns, 40u);
    EXPECT_EQ(queue.pop_expired(1000)->deadline_ns, 50u);
    EXPECT_EQ(queue.pop_expired(1000), nullptr);
    EXPECT_EQ(queue.next_deadline(), NO_DEADLINE);
}

TEST(TimerQueue, EqualDeadlinesExpireInArmingOrder)
{
    TimerEntry first, second, third;
    first.deadline_ns = second.deadline_ns = third.deadline_ns = 100;
    TimerQueue queue;
    queue.insert(first);
    queue.insert(second);
    queue.insert(third);
    EXPECT_EQ(queue.pop_expired(100), &first);
    EXPECT_EQ(queue.pop_expired(100), &second);
    EXPECT_EQ(queue.pop_expired(100), &third);
}

TEST(TimerQueue, RemovedEntryNeverExpires)
{
    TimerEntry early, middle, late;
    early.deadline_ns = 1;
    middle.deadline_ns = 2;
    late.deadline_ns = 3;
    TimerQueue queue;
    queue.insert(late);
    queue.insert(middle);
    queue.insert(early);
    queue.remove(middle);
    EXPECT_FALSE(middle.is_armed());
    EXPECT_EQ(queue.pop_expired(10), &early);
    EXPECT_EQ(queue.pop_expired(10), &late);
    EXPECT_EQ(queue.pop_expired(10), nullptr);
    // A removed entry can be armed again.
    middle.deadline_ns = 5;
    queue.insert(middle);
    EXPECT_EQ(queue.pop_expired(10), &middle);
}

TEST(TimerQueue, DeadlineAfterSaturates)
{
    EXPECT_EQ(deadline_after(100, 50), 150u);
    EXPECT_EQ(deadline_after(100, NO_DEADLINE), NO_DEADLINE);
    EXPECT_EQ(deadline_after(100, NO_DEADLINE - 100), NO_DEADLINE);
    EXPECT_EQ(deadline_after(100, NO_DEADLINE - 101), NO_DEADLINE - 1);
    EXPECT_EQ(deadline_after(0, 0), 0u);
}

} // namespace
