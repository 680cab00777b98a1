// Sleeping on readiness changes; see ReadinessWait.h.
#include <kernel/core/Panic.h>
#include <kernel/lib/Placement.h>
#include <kernel/poll/ReadinessWait.h>
#include <kernel/sched/Scheduler.h>
#include <kernel/time/Clock.h>

namespace kpoll {

ReadinessWait::~ReadinessWait()
{
    for (usize i = 0; i < m_count; ++i)
        fs::remove_readiness_watch(m_watches[i]);
    delete[] m_watches;
}

ErrorOr<void> ReadinessWait::reserve(usize count)
{
    VERIFY(!m_watches);
    if (count == 0)
        return {};
    m_watches = new (std::nothrow) fs::ReadinessWatch[count];
    if (!m_watches)
        return Error::from_errno(ENOMEM);
    m_capacity = count;
    return {};
}

void ReadinessWait::watch(const void* key)
{
    VERIFY(m_count < m_capacity);
    fs::ReadinessWatch& watch = m_watches[m_count++];
    watch.key = key;
    watch.watcher = this;
    fs::add_readiness_watch(watch);
}

fs::ReadinessRelay* ReadinessWait::readiness_changed_locked(const void*)
{
    m_notified.store(true, MemoryOrder::SequentiallyConsistent);
    if (sched::is_running()) {
        // Under the registry lock: wake without the preemption point wake_all() has.
        SpinlockGuard guard(sched::Scheduler::lock());
        m_queue.wake_all_locked();
    }
    return nullptr;
}

ErrorOr<void> ReadinessWait::sleep(u64 deadline_ns)
{
    auto notified = [this] {
        return m_notified.load(MemoryOrder::SequentiallyConsistent);
    };
    if (deadline_ns == sched::NO_DEADLINE)
        return m_queue.wait_until_interruptible(notified);
    return m_queue.wait_until_interruptible(notified, deadline_ns);
}

u64 deadline_after(u64 duration_ns)
{
    u64 now = ktime::monotonic_ns();
    u64 limit = sched::NO_DEADLINE - 1;
    return duration_ns > limit - now ? limit : now + duration_ns;
}

u64 time_left(u64 deadline_ns)
{
    u64 now = ktime::monotonic_ns();
    return deadline_ns > now ? deadline_ns - now : 0;
}

} // namespace kpoll
