#pragma once

// A lock that a holder may keep across blocking device I/O, portable to the
// host tests: it waits through the fs wait hooks (fs/pipe/WaitHooks.h), so in
// the kernel a contender sleeps on a wait queue and in host tests on a host
// condition variable. Filesystems on block devices serialize their metadata
// with one of these (a spinlock cannot be held across a disk transfer).
//
// Not recursive. Without wait hooks nothing can block, so a contended lock
// is a bug there (LIB_VERIFY); the single-threaded host tests never contend.
#include <kernel/lib/Atomic.h>

namespace block {

class SleepLock {
public:
    constexpr SleepLock() = default;
    SleepLock(const SleepLock&) = delete;
    SleepLock& operator=(const SleepLock&) = delete;

    void lock();
    void unlock();
    bool is_locked() const { return m_locked.load(lib::MemoryOrder::Acquire); }

private:
    lib::Atomic<bool> m_locked { false };
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
