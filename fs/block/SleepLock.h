#pragma once

// A lock that a holder may keep across blocking device I/O, portable to the
// host tests: it waits through the fs wait hooks (fs/pipe/WaitHooks.h), so in
// the kernel a contender sleeps on a wait queue and in host tests on a host
// condition variable. Filesystems on block devices serialize their metadata
// with one of these (a spinlock cannot be held across a disk transfer).
//
// Not recursive. Without wait hooks nothing can block, so a contended lock
// is a bug there (LIB_VERIFY); the single-threaded host tests never contend.
//
// Deferred work: someone who must not wait for the lock (it may be the
// holder itself, deeper in its call stack) marks work pending in its
// DeferredWork and calls run_deferred_work(); whoever holds the lock runs
// it before letting go, so the work is done by the time the lock is free.
#include <kernel/lib/Atomic.h>

namespace block {

class DeferredWork {
public:
    virtual bool pending() const = 0;
    // Runs with the lock held.
    virtual void run() = 0;

protected:
    ~DeferredWork() = default;
};

class SleepLock {
public:
    constexpr SleepLock() = default;
    SleepLock(const SleepLock&) = delete;
    SleepLock& operator=(const SleepLock&) = delete;

    void lock();
    bool try_lock();
    // Runs pending deferred work first (and again if more became pending
    // just after the lock was let go and it can be taken back).
    void unlock();
    bool is_locked() const { return m_locked.load(lib::MemoryOrder::Acquire); }

    // Set once, before the lock is used.
    void set_deferred_work(DeferredWork* work) { m_deferred_work = work; }
    // After marking the work pending: runs it now if the lock is free,
    // otherwise leaves it to the holder's unlock().
    void run_deferred_work();

private:
    void release();

    lib::Atomic<bool> m_locked { false };
    DeferredWork* m_deferred_work { nullptr };
};

class [[nodiscard]] SleepLocker {
public:
    explicit SleepLocker(SleepLock& lock)
        : m_lock(lock)
    {
        m_lock.lock();
    }
    ~SleepLocker() { m_lock.unlock(); }
    SleepLocker(const SleepLocker&) = delete;
    SleepLocker& operator=(const SleepLocker&) = delete;

private:
    SleepLock& m_lock;
};

} // namespace block
