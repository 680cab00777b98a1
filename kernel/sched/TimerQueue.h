#pragma once

// Deadlines of sleeping threads on one CPU, kept sorted (earliest first,
// FIFO among equal deadlines) in an intrusive list, so arming a timer never
// allocates. The scheduler checks the head whenever an interrupt returns
// (at least once per timer tick) and wakes exactly the entries whose
// deadline has passed: pop_expired(now) until it returns null.
//
// Insertion is O(n) in the number of sleepers, taking and expiring the
// earliest is O(1). No locking here: the scheduler lock guards the queue and
// its entries.
#include <kernel/lib/IntrusiveList.h>
#include <kernel/lib/Types.h>

namespace sched {

inline constexpr u64 NO_DEADLINE = ~u64(0);

// The deadline `timeout_ns` after `now_ns`, saturating: a timeout too large
// to represent (NO_DEADLINE included) means no deadline.
constexpr u64 deadline_after(u64 now_ns, u64 timeout_ns)
{
    return timeout_ns >= NO_DEADLINE - now_ns ? NO_DEADLINE : now_ns + timeout_ns;
}

struct TimerEntry {
    u64 deadline_ns { NO_DEADLINE };
    void* owner { nullptr }; // the sleeping thread, for the scheduler
    lib::IntrusiveListNode node;

    bool is_armed() const { return node.is_linked(); }
};

class TimerQueue {
public:
    constexpr TimerQueue() = default;
    TimerQueue(const TimerQueue&) = delete;
    TimerQueue& operator=(const TimerQueue&) = delete;

    // Arms `entry` (not armed yet) for entry.deadline_ns.
    void insert(TimerEntry& entry);
    // Disarms an armed entry.
    void remove(TimerEntry& entry);
    // Disarms and returns the earliest entry if its deadline is <= now_ns.
    TimerEntry* pop_expired(u64 now_ns);
    // The earliest deadline, or NO_DEADLINE.
    u64 next_deadline() const;
    usize size() const { return m_entries.size(); }

private:
    lib::IntrusiveList<TimerEntry, &TimerEntry::node> m_entries;
};

} // namespace sched
