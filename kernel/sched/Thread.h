#pragma once

// A kernel thread: its own kernel stack (from mm::allocate_kernel_stack,
// with an unmapped guard page below it), the saved CPU and FPU state
// (x86::ThreadContext), its scheduling parameters and statistics.
//
// Lifetime: Thread::create() returns a reference to a thread that is already
// runnable; the scheduler holds a second reference while the thread is alive.
// When the entry function returns (or the thread calls
// sched::exit_current_thread()), the thread becomes Dead, wakes its joiners,
// and the reaper thread frees its stack (a thread never frees the stack it
// runs on) and drops the scheduler's reference. The object itself goes away
// with the last reference.
//
// States: Runnable (queued), Running (on a CPU), Blocked (on a wait queue,
// perhaps with a timeout), Sleeping (on the timer queue only), Dead.
//
// Locking: every field below the public interface is guarded by the
// scheduler lock (Scheduler.h), except the identity (id, name, class), set
// before the thread is started and constant after.
#include <kernel/arch/x86_64/ThreadContext.h>
#include <kernel/lib/Error.h>
#include <kernel/lib/RefPtr.h>
#include <kernel/lib/StringView.h>
#include <kernel/sched/RunQueue.h>
#include <kernel/sched/TimerQueue.h>
#include <kernel/sched/WaitQueue.h>

namespace sched {

struct CpuScheduler;

enum class ThreadState : u8 {
    Runnable,
    Running,
    Blocked,
    Sleeping,
    Dead,
};

StringView thread_state_name(ThreadState state);
StringView scheduling_class_name(SchedulingClass scheduling_class);

inline constexpr usize DEFAULT_STACK_PAGES = 4; // 16 KiB

struct ThreadOptions {
    SchedulingClass scheduling_class { SchedulingClass::Normal };
    RealtimePolicy realtime_policy { RealtimePolicy::RoundRobin };
    u8 realtime_priority { 0 }; // below REALTIME_PRIORITY_COUNT
    i8 nice { 0 };              // NICE_MIN..NICE_MAX
    usize stack_pages { DEFAULT_STACK_PAGES };
};

struct ThreadStatistics {
    u64 voluntary_switches;   // gave up the CPU: blocked, slept, yielded, exited
    u64 involuntary_switches; // preempted
    u64 cpu_time_ns;          // includes the current run if it is running
};

class Thread : public lib::RefCounted<Thread> {
public:
    using Entry = void (*)(void* argument);
    static constexpr usize NAME_CAPACITY = 24;

    // Creates a thread running entry(argument) and makes it runnable; it
    // may run before create() returns. EINVAL for a realtime priority out of
    // range or a bad stack size, ENOMEM when memory runs out.
    static ErrorOr<NonnullRefPtr<Thread>> create(
        StringView name, Entry entry, void* argument, const ThreadOptions& options = {});

    ~Thread();

    u64 id() const { return m_id; }
    StringView name() const { return StringView(m_name, m_name_length); }
    SchedulingClass scheduling_class() const { return m_entity.scheduling_class; }
    ThreadState state() const;
    ThreadStatistics statistics() const;

    // Waits until the thread is Dead (ETIMEDOUT after `timeout_ns`). A
    // thread cannot join itself (EDEADLK).
    ErrorOr<void> join(u64 timeout_ns = NO_DEADLINE);

private:
    friend class Scheduler;
    friend class WaitQueue;
    friend void interrupt_thread(Thread& thread);

    Thread(StringView name, const ThreadOptions& options);
    // create() without start_thread(): for the per-CPU idle threads, which
    // are never queued.
    static ErrorOr<NonnullRefPtr<Thread>> create_unstarted(
        StringView name, Entry entry, void* argument, const ThreadOptions& options);
    static void start(u64 entry, u64 argument);

    u64 m_id { 0 };
    char m_name[NAME_CAPACITY] {};
    usize m_name_length { 0 };
    VirtAddr m_stack_top { 0 };
    bool m_owns_stack { false }; // false for the boot thread, whose stack is in the image

    ThreadState m_state { ThreadState::Runnable };
    WakeReason m_wake_reason { WakeReason::None };
    CpuScheduler* m_cpu { nullptr };
    SchedEntity m_entity;
    WaitLink m_wait_link;                // on a wait queue, or on the reaper's list once dead
    WaitQueue* m_wait_queue { nullptr }; // the queue m_wait_link is on while Blocked
    bool m_interruptible_wait { false }; // blocked in wait_until_interruptible
    TimerEntry m_timer;
    WaitQueue m_exit_waiters;
    lib::IntrusiveListNode m_all_node; // on the list of all threads

    u64 m_voluntary_switches { 0 };
    u64 m_involuntary_switches { 0 };
    u64 m_cpu_time_ns { 0 };

    x86::ThreadContext m_context;

public:
    // The scheduler's list of every thread not yet reaped.
    using AllThreadsList = lib::IntrusiveList<Thread, &Thread::m_all_node>;
};

} // namespace sched
