// Atomic<T>: the operations' results and their atomicity across threads.
#include <gtest/gtest.h>
#include <kernel/lib/Atomic.h>
#include <thread>
#include <vector>

namespace {

TEST(Atomic, OperationsReturnThePreviousValue)
{
    Atomic<u32> value { 10 };
    EXPECT_EQ(value.load(), 10u);
    value.store(20, MemoryOrder::Release);
    EXPECT_EQ(value.load(MemoryOrder::Acquire), 20u);
    EXPECT_EQ(value.exchange(30), 20u);
    EXPECT_EQ(value.fetch_add(5), 30u);
    EXPECT_EQ(value.fetch_sub(10, MemoryOrder::Relaxed), 35u);
    EXPECT_EQ(value.fetch_or(0x100), 25u);
    EXPECT_EQ(value.fetch_and(0xff), 0x119u);
    EXPECT_EQ(value.fetch_xor(0x1), 0x19u);
    EXPECT_EQ(value.load(), 0x18u);
    Atomic<u8> small { 255 };
    EXPECT_EQ(small.fetch_add(1), 255u);
    EXPECT_EQ(small.load(), 0u) << "wraps like the underlying type";
}

TEST(Atomic, CompareExchange)
{
    Atomic<u64> value { 5 };
    u64 expected = 4;
    EXPECT_FALSE(value.compare_exchange(expected, 9));
    EXPECT_EQ(expected, 5u) << "a failure reports the current value";
    EXPECT_EQ(value.load(), 5u);
    EXPECT_TRUE(value.compare_exchange(expected, 9, MemoryOrder::AcquireRelease));
    EXPECT_EQ(value.load(), 9u);
    expected = 9;
    EXPECT_TRUE(value.compare_exchange(expected, 1, MemoryOrder::Release));
    EXPECT_EQ(value.load(), 1u);
}

TEST(Atomic, PointersAndBools)
{
    int a = 1, b = 2;
    Atomic<int*> pointer { &a };
    EXPECT_EQ(pointer.exchange(&b), &a);
    int* expected = &b;
    EXPECT_TRUE(pointer.compare_exchange(expected, nullptr));
    EXPECT_EQ(pointer.load(), nullptr);
    Atomic<bool> flag;
    EXPECT_FALSE(flag.load());
    EXPECT_FALSE(flag.exchange(true));
    EXPECT_TRUE(flag.load());
}

TEST(Atomic, ConcurrentIncrementsAreNotLost)
{
    Atomic<u64> counter { 0 };
    Atomic<u64> cas_counter { 0 };
    std::vector<std::thread> threads;
    threads.reserve(4);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 100000; ++i) {
                counter.fetch_add(1, MemoryOrder::Relaxed);
                u64 seen = cas_counter.load(MemoryOrder::Relaxed);
                while (!cas_counter.compare_exchange(seen, seen + 1, MemoryOrder::Relaxed)) { }
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(counter.load(), 400000u);
    EXPECT_EQ(cas_counter.load(), 400000u);
}

} // namespace
