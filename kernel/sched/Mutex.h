#pragma once

// Mutex: a sleeping lock for kernel threads. A thread that finds it held
// blocks (no spinning) on the mutex's wait queue; unlock hands the mutex
// straight to the first waiter (FIFO, so no waiter starves and a thread that
// unlocks and locks again in a loop cannot barge ahead of the queue).
//
// The owner is tracked: locking a mutex the caller already holds (recursive
// locking) and unlocking one it does not hold are kernel bugs (VERIFY).
// lock() may block, so it needs interrupts on, no spinlock and preemption
// enabled (VERIFY); never take a Mutex after a spinlock.
//
// Locking: the owner and the queue are guarded by the scheduler lock.
#include <kernel/sched/WaitQueue.h>

namespace sched {

class Mutex {
public:
    constexpr Mutex() = default;
    Mutex(const Mutex&) = delete;
    Mutex& operator=(const Mutex&) = delete;

    void lock();
    // Takes the mutex if it is free; never blocks.
    bool try_lock();
    void unlock();

    bool is_locked() const;
    bool is_locked_by_current_thread() const;
    // How many lock() calls found the mutex held and had to wait.
    u64 contention_count() const;

private:
    friend class ConditionVariable;

    // With the scheduler lock held: releases the mutex, handing it to the
    // first waiter if there is one.
    void unlock_locked();

    Thread* m_owner { nullptr };
    WaitQueue m_waiters;
    u64 m_contention_count { 0 };
};

class [[nodiscard]] MutexLocker {
public:
    explicit MutexLocker(Mutex& mutex)
        : m_mutex(mutex)
    {
        m_mutex.lock();
    }
    ~MutexLocker() { m_mutex.unlock(); }
    MutexLocker(const MutexLocker&) = delete;
    MutexLocker& operator=(const MutexLocker&) = delete;

private:
    Mutex& m_mutex;
};

} // namespace sched
