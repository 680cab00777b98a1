// Spinlock and SpinlockGuard against the simulated interrupt flag in
// tests/unit/support/HostArch.cpp (one flag per thread, like one per CPU).
#include <gtest/gtest.h>
#include <kernel/arch/Cpu.h>
#include <kernel/lib/Spinlock.h>
#include <thread>
#include <vector>

namespace {

TEST(Spinlock, GuardDisablesInterruptsAndRestoresThem)
{
    Spinlock lock;
    arch::enable_interrupts();
    {
        SpinlockGuard guard(lock);
        EXPECT_TRUE(lock.is_locked());
        EXPECT_FALSE(arch::interrupts_enabled());
    }
    EXPECT_FALSE(lock.is_locked());
    EXPECT_TRUE(arch::interrupts_enabled());
}

TEST(Spinlock, GuardKeepsInterruptsOffIfTheyWereOff)
{
    Spinlock lock;
    arch::disable_interrupts();
    {
        SpinlockGuard guard(lock);
        EXPECT_FALSE(arch::interrupts_enabled());
    }
    EXPECT_FALSE(arch::interrupts_enabled()) << "releasing must not enable interrupts it did not disable";
    arch::enable_interrupts();
}

TEST(Spinlock, NestedGuardsRestoreInReverseOrder)
{
    Spinlock outer;
    Spinlock inner;
    arch::enable_interrupts();
    {
        SpinlockGuard a(outer);
        {
            SpinlockGuard b(inner);
            EXPECT_TRUE(inner.is_locked());
        }
        EXPECT_FALSE(inner.is_locked());
        EXPECT_FALSE(arch::interrupts_enabled()) << "the outer lock is still held";
    }
    EXPECT_TRUE(arch::interrupts_enabled());
}

TEST(Spinlock, EarlyReturnReleases)
{
    Spinlock lock;
    arch::enable_interrupts();
    auto locked_search = [&](int wanted) {
        SpinlockGuard guard(lock);
        for (int i = 0; i < 10; ++i) {
            if (i == wanted)
                return i;
        }
        return -1;
    };
    EXPECT_EQ(locked_search(3), 3);
    EXPECT_FALSE(lock.is_locked());
    EXPECT_TRUE(arch::interrupts_enabled());
}

TEST(Spinlock, MutualExclusionAcrossThreads)
{
    Spinlock lock;
    long counter = 0; // deliberately not atomic: the lock must protect it
    std::vector<std::thread> threads;
    threads.reserve(4);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 20000; ++i) {
                SpinlockGuard guard(lock);
                counter = counter + 1;
            }
            EXPECT_TRUE(arch::interrupts_enabled());
        });
    }
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(counter, 80000);
}

} // namespace
