// Waking waiters (the waiting side is inline in WaitQueue.h).
#include <kernel/sched/Thread.h>
#include <kernel/sched/WaitQueue.h>

namespace sched {

Thread* WaitQueue::wake_one_locked(WakeReason reason)
{
    while (WaitLink* link = m_waiters.first()) {
        Thread* thread = link->thread;
        // wake_locked takes the thread off this queue.
        if (Scheduler::wake_locked(*thread, reason))
            return thread;
        m_waiters.remove(*link); // not waiting any more: cannot happen, but never loop on it
    }
    return nullptr;
}

usize WaitQueue::wake_all_locked(WakeReason reason)
{
    usize woken = 0;
    while (wake_one_locked(reason))
        ++woken;
    return woken;
}

usize WaitQueue::wake_one()
{
    usize woken;
    {
        SpinlockGuard guard(Scheduler::lock());
        woken = wake_one_locked() ? 1 : 0;
    }
    Scheduler::preempt_point();
    return woken;
}

usize WaitQueue::wake_all()
{
    usize woken;
    {
        SpinlockGuard guard(Scheduler::lock());
        woken = wake_all_locked();
    }
    Scheduler::preempt_point();
    return woken;
}

} // namespace sched
