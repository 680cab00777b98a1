// The sorted deadline list (see TimerQueue.h).
#include <kernel/sched/TimerQueue.h>

namespace sched {

void TimerQueue::insert(TimerEntry& entry)
{
    for (TimerEntry& armed : m_entries) {
        if (armed.deadline_ns > entry.deadline_ns) {
            m_entries.insert_before(armed, entry);
            return;
        }
    }
    m_entries.push_back(entry);
}

void TimerQueue::remove(TimerEntry& entry)
{
    m_entries.remove(entry);
}

TimerEntry* TimerQueue::pop_expired(u64 now_ns)
{
    TimerEntry* first = m_entries.first();
    if (!first || first->deadline_ns > now_ns)
        return nullptr;
    m_entries.remove(*first);
    return first;
}

u64 TimerQueue::next_deadline() const
{
    TimerEntry* first = m_entries.first();
    return first ? first->deadline_ns : NO_DEADLINE;
}

} // namespace sched
