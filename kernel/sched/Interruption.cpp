// Interruptible waits: the installed check and waking one thread; see
// Scheduler.h (set_interruption_check, interrupt_thread).
#include <kernel/sched/Scheduler.h>
#include <kernel/sched/Thread.h>
#include <kernel/sched/WaitQueue.h>

namespace sched {

namespace {

constinit InterruptionCheck s_check = nullptr;

} // namespace

void set_interruption_check(InterruptionCheck check)
{
    __atomic_store_n(&s_check, check, __ATOMIC_RELEASE);
}

bool current_is_interrupted()
{
    InterruptionCheck check = __atomic_load_n(&s_check, __ATOMIC_ACQUIRE);
    return check && check();
}

void interrupt_thread(Thread& thread)
{
    SpinlockGuard guard(Scheduler::lock());
    if (thread.m_interruptible_wait)
        (void)Scheduler::wake_locked(thread, WakeReason::Woken);
}

WakeReason WaitQueue::block_interruptible_locked(u64 deadline_ns)
{
    Thread& self = current();
    self.m_interruptible_wait = true;
    WakeReason reason = Scheduler::block_locked(this, deadline_ns);
    self.m_interruptible_wait = false;
    return reason;
}

} // namespace sched
