// Condition variables over the sleeping mutex (see ConditionVariable.h).
#include <kernel/core/Panic.h>
#include <kernel/sched/ConditionVariable.h>
#include <kernel/sched/Thread.h>
#include <kernel/time/Clock.h>

namespace sched {

ErrorOr<void> ConditionVariable::wait_until(Mutex& mutex, u64 deadline_ns)
{
    Scheduler::verify_can_block();
    WakeReason reason;
    {
        SpinlockGuard guard(Scheduler::lock());
        VERIFY(mutex.m_owner == &current());
        mutex.unlock_locked();
        reason = Scheduler::block_locked(&m_waiters, deadline_ns);
    }
    mutex.lock();
    if (reason == WakeReason::TimedOut)
        return Error::from_errno(ETIMEDOUT);
    return {};
}

void ConditionVariable::wait(Mutex& mutex)
{
    (void)wait_until(mutex, NO_DEADLINE); // without a deadline it cannot time out
}

ErrorOr<void> ConditionVariable::wait_for(Mutex& mutex, u64 timeout_ns)
{
    return wait_until(mutex, deadline_after(ktime::monotonic_ns(), timeout_ns));
}

void ConditionVariable::signal()
{
    m_waiters.wake_one();
}

void ConditionVariable::broadcast()
{
    m_waiters.wake_all();
}

} // namespace sched
