#pragma once

// ConditionVariable: waits for a condition guarded by a Mutex.
//
//   MutexLocker locker(mutex);
//   while (!ready)
//       condition.wait(mutex);
//
// wait() releases the mutex and blocks in one step under the scheduler
// lock, so a signal sent by a thread that took the mutex after us cannot be
// missed; it retakes the mutex before returning. Waiters are woken in FIFO
// order. As with any condition variable, re-check the condition after
// waking. signal()/broadcast() may be called with or without the mutex
// held, from threads or interrupt handlers.
//
// Locking: the queue is guarded by the scheduler lock.
#include <kernel/lib/Error.h>
#include <kernel/sched/Mutex.h>

namespace sched {

class ConditionVariable {
public:
    constexpr ConditionVariable() = default;
    ConditionVariable(const ConditionVariable&) = delete;
    ConditionVariable& operator=(const ConditionVariable&) = delete;

    // `mutex` must be held by the caller; it is held again on return.
    void wait(Mutex& mutex);
    // ETIMEDOUT if not signalled within `timeout_ns` (the mutex is retaken either way).
    ErrorOr<void> wait_for(Mutex& mutex, u64 timeout_ns);

    void signal();
    void broadcast();

private:
    ErrorOr<void> wait_until(Mutex& mutex, u64 deadline_ns);

    WaitQueue m_waiters;
};

} // namespace sched
