// The sleeping mutex (see Mutex.h).
#include <kernel/core/Panic.h>
#include <kernel/sched/Mutex.h>
#include <kernel/sched/Thread.h>

namespace sched {

void Mutex::lock()
{
    Scheduler::verify_can_block();
    Thread* self = &current();
    SpinlockGuard guard(Scheduler::lock());
    VERIFY(m_owner != self); // recursive locking
    if (!m_owner) {
        m_owner = self;
        return;
    }
    ++m_contention_count;
    // unlock_locked() makes us the owner before it wakes us.
    while (m_owner != self)
        (void)Scheduler::block_locked(&m_waiters, NO_DEADLINE);
}

bool Mutex::try_lock()
{
    Thread* self = &current();
    SpinlockGuard guard(Scheduler::lock());
    VERIFY(m_owner != self);
    if (m_owner)
        return false;
    m_owner = self;
    return true;
}

void Mutex::unlock()
{
    {
        SpinlockGuard guard(Scheduler::lock());
        VERIFY(m_owner == &current());
        unlock_locked();
    }
    Scheduler::preempt_point();
}

void Mutex::unlock_locked()
{
    m_owner = m_waiters.wake_one_locked();
}

bool Mutex::is_locked() const
{
    SpinlockGuard guard(Scheduler::lock());
    return m_owner != nullptr;
}

bool Mutex::is_locked_by_current_thread() const
{
    Thread* self = &current();
    SpinlockGuard guard(Scheduler::lock());
    return m_owner == self;
}

u64 Mutex::contention_count() const
{
    SpinlockGuard guard(Scheduler::lock());
    return m_contention_count;
}

} // namespace sched
