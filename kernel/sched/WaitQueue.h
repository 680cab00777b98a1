#pragma once

// WaitQueue: threads waiting for something, in FIFO order. Linking a waiter
// never allocates (the link lives in the thread), so interrupt handlers may
// wake threads.
//
//   // A waiter: the condition is checked under the scheduler lock, so a
//   // wake-up between the check and the sleep cannot be lost.
//   queue.wait_until([&] { return __atomic_load_n(&count, __ATOMIC_ACQUIRE) > 0; });
//   // A waker, in any context, after making the condition true:
//   queue.wake_all();
//
// The condition runs with the scheduler lock held and interrupts off: it may
// only read (atomics, or state guarded by the scheduler lock) and must not
// take locks. Waiting is forbidden with interrupts disabled, with a
// spinlock held or with preemption disabled (VERIFY).
//
// Locking: the scheduler lock guards the list and the waiters' links; the
// _locked functions expect it held (kernel/sched internals: Mutex,
// Semaphore, ConditionVariable).
#include <kernel/lib/Error.h>
#include <kernel/lib/IntrusiveList.h>
#include <kernel/sched/Scheduler.h>

namespace sched {

class Thread;

struct WaitLink {
    lib::IntrusiveListNode node;
    Thread* thread { nullptr };
};

class WaitQueue {
public:
    constexpr WaitQueue() = default;
    WaitQueue(const WaitQueue&) = delete;
    WaitQueue& operator=(const WaitQueue&) = delete;

    // Blocks until condition() holds.
    template<typename Condition>
    void wait_until(Condition condition)
    {
        Scheduler::verify_can_block();
        SpinlockGuard guard(Scheduler::lock());
        while (!condition())
            (void)Scheduler::block_locked(this, NO_DEADLINE);
    }

    // Blocks until condition() holds or the monotonic clock reaches
    // `deadline_ns`; ETIMEDOUT if the condition still fails then.
    template<typename Condition>
    ErrorOr<void> wait_until(Condition condition, u64 deadline_ns)
    {
        Scheduler::verify_can_block();
        SpinlockGuard guard(Scheduler::lock());
        while (!condition()) {
            if (Scheduler::block_locked(this, deadline_ns) == WakeReason::TimedOut && !condition())
                return Error::from_errno(ETIMEDOUT);
        }
        return {};
    }

    // Blocks until condition() holds, or EINTR when the current thread has
    // been interrupted (Scheduler.h, set_interruption_check: a signal to
    // take), checked before every sleep; interrupt_thread() wakes it.
    template<typename Condition>
    ErrorOr<void> wait_until_interruptible(Condition condition)
    {
        Scheduler::verify_can_block();
        SpinlockGuard guard(Scheduler::lock());
        while (!condition()) {
            if (current_is_interrupted())
                return Error::from_errno(EINTR);
            (void)block_interruptible_locked();
        }
        return {};
    }

    // As above, with a deadline on the monotonic clock: ETIMEDOUT once it
    // passes with the condition still false.
    template<typename Condition>
    ErrorOr<void> wait_until_interruptible(Condition condition, u64 deadline_ns)
    {
        Scheduler::verify_can_block();
        SpinlockGuard guard(Scheduler::lock());
        while (!condition()) {
            if (current_is_interrupted())
                return Error::from_errno(EINTR);
            if (block_interruptible_locked(deadline_ns) == WakeReason::TimedOut && !condition())
                return Error::from_errno(ETIMEDOUT);
        }
        return {};
    }

    // Wake the first waiter, or all; return how many were woken. Any
    // context. From a thread, a woken thread that should run first (a higher
    // priority) runs before these return.
    usize wake_one();
    usize wake_all();

    // With the scheduler lock held: wake the first waiter (returned, or
    // null if there is none), or all of them.
    Thread* wake_one_locked(WakeReason reason = WakeReason::Woken);
    usize wake_all_locked(WakeReason reason = WakeReason::Woken);
    bool has_waiters_locked() const { return !m_waiters.is_empty(); }

private:
    friend class Scheduler;

    // block_locked(this, deadline_ns), marked so that interrupt_thread
    // wakes only interruptible waits (a mutex waiter woken early would
    // take the wake-up for a hand-over).
    WakeReason block_interruptible_locked(u64 deadline_ns = NO_DEADLINE);

    lib::IntrusiveList<WaitLink, &WaitLink::node> m_waiters;
};

} // namespace sched
