// The counting semaphore (see Semaphore.h).
#include <kernel/sched/Semaphore.h>
#include <kernel/time/Clock.h>

namespace sched {

ErrorOr<void> Semaphore::wait_until(u64 deadline_ns)
{
    Scheduler::verify_can_block();
    SpinlockGuard guard(Scheduler::lock());
    if (m_count > 0) {
        --m_count;
        return {};
    }
    // Woken means post() handed us its unit; anything else is the deadline.
    for (;;) {
        WakeReason reason = Scheduler::block_locked(&m_waiters, deadline_ns);
        if (reason == WakeReason::Woken)
            return {};
        if (reason == WakeReason::TimedOut)
            return Error::from_errno(ETIMEDOUT);
    }
}

void Semaphore::wait()
{
    (void)wait_until(NO_DEADLINE); // without a deadline it cannot time out
}

ErrorOr<void> Semaphore::wait_for(u64 timeout_ns)
{
    return wait_until(deadline_after(ktime::monotonic_ns(), timeout_ns));
}

bool Semaphore::try_wait()
{
    SpinlockGuard guard(Scheduler::lock());
    if (m_count == 0)
        return false;
    --m_count;
    return true;
}

void Semaphore::post()
{
    {
        SpinlockGuard guard(Scheduler::lock());
        if (!m_waiters.wake_one_locked())
            ++m_count;
    }
    Scheduler::preempt_point();
}

u64 Semaphore::count() const
{
    SpinlockGuard guard(Scheduler::lock());
    return m_count;
}

} // namespace sched
