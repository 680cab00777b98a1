#pragma once

// The scheduling policy of one CPU: which runnable thread runs next and when
// the running one should give way. Portable (no locks, no clock, no
// assembly), so the host tests drive it with simulated time.
//
// Three classes, strictly ordered: a runnable realtime thread always runs
// before any normal one, and an idle-class thread runs only when no realtime
// or normal thread is runnable.
//   realtime  REALTIME_PRIORITY_COUNT fixed priorities (higher runs first),
//             FIFO among equals. RoundRobin threads give way to an equal
//             one after REALTIME_SLICE_NS of CPU; Fifo threads keep the CPU
//             until they block, yield or a higher priority wakes. A thread
//             preempted by a higher priority goes back to the head of its
//             priority (it did not use up its turn); one whose slice ran out
//             or that yielded goes to the tail.
//   normal    fair sharing by virtual runtime: a thread's vruntime grows by
//             its CPU time scaled by NICE_0_WEIGHT / weight, and the thread
//             with the smallest vruntime runs. Over time each gets CPU in
//             proportion to its weight (nice 0 = 1024, each nice step a
//             factor 1.25). The running thread keeps the CPU for its share of
//             SCHED_LATENCY_NS (never less than MIN_SLICE_NS) when others
//             wait. min_vruntime only grows; a woken thread is placed at
//             max(own, min_vruntime - SLEEPER_BONUS_NS), so a long sleeper
//             gets a short head start but cannot monopolize the CPU by
//             replaying the time it slept; a new thread starts at
//             min_vruntime, so spawning threads cannot buy CPU.
//   idle      round robin with IDLE_SLICE_NS, below everything else. (The
//             per-CPU idle thread that halts is not queued here at all: the
//             scheduler runs it when pick_next() finds nothing.)
//
// Protocol (the scheduler and the tests follow it): an entity is either
// queued (after enqueue), running (returned by pick_next, until descheduled),
// or neither (blocked). account() is called with the running entity and the
// CPU time it used since the last call; it says whether to reschedule.
//
// Queued normal entities are kept sorted by vruntime in an intrusive list
// (O(n) insertion: a CPU runs a handful of threads; a balanced tree can
// replace the list without changing this interface).
//
// No locking here: the scheduler lock guards a RunQueue and every entity
// queued on it or running from it.
#include <kernel/lib/IntrusiveList.h>
#include <kernel/lib/Types.h>

namespace sched {

enum class SchedulingClass : u8 {
    Realtime,
    Normal,
    Idle,
};

enum class RealtimePolicy : u8 {
    Fifo,
    RoundRobin,
};

inline constexpr u8 REALTIME_PRIORITY_COUNT = 32;
inline constexpr i8 NICE_MIN = -20;
inline constexpr i8 NICE_MAX = 19;
inline constexpr u32 NICE_0_WEIGHT = 1024;

inline constexpr u64 REALTIME_SLICE_NS = 20'000'000;
inline constexpr u64 SCHED_LATENCY_NS = 12'000'000;
inline constexpr u64 MIN_SLICE_NS = 4'000'000;
inline constexpr u64 WAKEUP_GRANULARITY_NS = 1'000'000;
inline constexpr u64 SLEEPER_BONUS_NS = SCHED_LATENCY_NS / 2;
inline constexpr u64 IDLE_SLICE_NS = 20'000'000;

// The weight for a nice value (clamped to NICE_MIN..NICE_MAX):
// round(1024 / 1.25^nice).
u32 weight_for_nice(i8 nice);

// The per-thread policy state. The scheduler embeds one in each thread.
struct SchedEntity {
    SchedulingClass scheduling_class { SchedulingClass::Normal };
    RealtimePolicy realtime_policy { RealtimePolicy::RoundRobin };
    u8 realtime_priority { 0 }; // 0..REALTIME_PRIORITY_COUNT-1, higher runs first
    i8 nice { 0 };
    u32 weight { NICE_0_WEIGHT };
    u64 vruntime { 0 };
    u64 ran_since_picked_ns { 0 };
    u64 realtime_slice_left_ns { REALTIME_SLICE_NS };
    void* owner { nullptr }; // the thread, for the scheduler
    lib::IntrusiveListNode run_node;

    void set_nice(i8 value);
};

enum class Placement : u8 {
    New,
    Wakeup,
};

enum class DescheduleReason : u8 {
    Blocked,   // not runnable any more: not queued again
    Preempted, // the scheduler took the CPU (slice over or a better thread woke)
    Yielded,   // the thread gave the CPU away but stays runnable
};

class RunQueue {
public:
    constexpr RunQueue() = default;
    RunQueue(const RunQueue&) = delete;
    RunQueue& operator=(const RunQueue&) = delete;

    // Makes a runnable entity eligible to run (it must be neither queued nor running).
    void enqueue(SchedEntity& entity, Placement placement);
    // Takes a queued entity off the queue without running it.
    void dequeue(SchedEntity& entity);
    // Removes and returns the entity to run next (it becomes the running
    // one), or null when nothing is queued.
    SchedEntity* pick_next();
    // The running entity stops running; queued again unless Blocked.
    void deschedule(SchedEntity& entity, DescheduleReason reason);

    // Charges the running entity `delta_ns` of CPU time; true when it should
    // now give way to a queued entity.
    bool account(SchedEntity& running, u64 delta_ns);
    // True when `woken`, just enqueued, should take the CPU from `running` at once.
    bool should_preempt(const SchedEntity& running, const SchedEntity& woken) const;

    SchedEntity* running() const { return m_running; }
    usize queued_count() const { return m_queued; }
    u64 min_vruntime() const { return m_min_vruntime; }

private:
    using EntityList = lib::IntrusiveList<SchedEntity, &SchedEntity::run_node>;

    void insert_normal(SchedEntity& entity);
    void update_min_vruntime();
    u64 normal_slice_ns(const SchedEntity& running) const;
    bool has_queued_above(SchedulingClass scheduling_class) const;
    int highest_realtime_priority() const;

    EntityList m_realtime[REALTIME_PRIORITY_COUNT];
    u32 m_realtime_bitmap { 0 }; // bit p: m_realtime[p] is not empty
    EntityList m_normal;         // sorted by vruntime, FIFO among equals
    EntityList m_idle;
    usize m_queued { 0 };
    u64 m_queued_normal_weight { 0 };
    u64 m_min_vruntime { 0 };
    SchedEntity* m_running { nullptr };
};

} // namespace sched
