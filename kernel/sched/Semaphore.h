#pragma once

// Semaphore: a count of available units. wait() takes one, blocking while
// there is none; post() gives one back, or hands it directly to the first
// waiter (FIFO), so a unit posted for a waiter cannot be stolen by a thread
// arriving later. post() may be called from interrupt handlers; the waits
// need a context that may block (see WaitQueue.h).
//
// Locking: the count and the queue are guarded by the scheduler lock.
#include <kernel/lib/Error.h>
#include <kernel/sched/WaitQueue.h>

namespace sched {

class Semaphore {
public:
    constexpr explicit Semaphore(u64 initial_count = 0)
        : m_count(initial_count)
    {
    }
    Semaphore(const Semaphore&) = delete;
    Semaphore& operator=(const Semaphore&) = delete;

    void wait();
    // ETIMEDOUT if no unit came within `timeout_ns`.
    ErrorOr<void> wait_for(u64 timeout_ns);
    // Takes a unit if one is available; never blocks.
    bool try_wait();
    void post();

    u64 count() const;

private:
    ErrorOr<void> wait_until(u64 deadline_ns);

    u64 m_count { 0 };
    WaitQueue m_waiters;
};

} // namespace sched
