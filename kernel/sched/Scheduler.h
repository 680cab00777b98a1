#pragma once

// The scheduler: per-CPU run queues (policy in RunQueue.h), blocking and
// waking, sleeping on a per-CPU timer queue, preemption, thread exit.
//
// Preemption: irq::dispatch calls the scheduler's exit hook at the end of
// every interrupt, after the EOI. The hook charges the running thread the
// CPU time since the last accounting (ktime::monotonic_ns), wakes the
// sleepers whose deadline passed, and switches threads when the policy says
// so (slice used up, or a better thread woke) unless preemption is disabled.
// The 250 Hz timer guarantees the hook runs at least every 4 ms. Wake-ups
// never switch by themselves (they may run in an interrupt handler, before
// the EOI); they set the CPU's need-resched flag, and the switch happens in
// the hook or, for a wake-up from a thread, at the preempt_point() its
// caller passes on the way out.
//
// Locking: one scheduler lock, a spinlock taken with interrupts disabled,
// guards every run queue, timer queue, wait queue and the scheduling fields
// of every thread. It is simple and correct with several CPUs, though not
// scalable; the per-CPU structures are already separate so that it can be
// split later. It is a leaf for everything but the code that switches: no
// other lock is taken under it, no allocation happens under it, nothing is
// printed under it. A switch happens with the lock held; the thread
// switched to releases it (its own SpinlockGuard, taken when it switched
// away, ends; a new thread releases it in its first function). So a thread
// that decided to block is fully switched out before any other CPU can see
// its state and wake it.
//
// Blocking (sleep, waits, mutexes, join) needs interrupts enabled, no
// spinlock held (which implies interrupts disabled) and preemption enabled:
// VERIFY.
//
// Placement: a thread runs on the CPU that created it (no migration yet).
// Once other CPUs run threads, waking a thread that belongs to another CPU
// must also send that CPU an IPI so it reschedules; today only the boot CPU
// schedules. Mutexes do not lend priorities (no priority inheritance).
//
// The boot thread keeps the boot stack of boot/entry.S (64 KiB in .bss,
// without a guard page); every other thread has a guarded stack.
#include <kernel/lib/Spinlock.h>
#include <kernel/lib/StringView.h>
#include <kernel/sched/RunQueue.h>
#include <kernel/sched/TimerQueue.h>

namespace sched {

class Thread;
class WaitQueue;
struct CpuScheduler;

enum class WakeReason : u8 {
    None,
    Woken,    // by a wake on its wait queue (for a mutex or a semaphore: ownership or a unit was handed over)
    TimedOut, // its deadline passed
};

// Boot: makes the code running now a normal-class thread named
// `boot_thread_name` (on the boot stack), creates this CPU's idle thread
// (which halts the CPU when nothing else is runnable) and the reaper, and
// starts preemption. After the clock, the timer and interrupts are set up.
void init(StringView boot_thread_name);
bool is_running();

// The thread running on this CPU. Only after init().
Thread& current();

// Interruptible waits (WaitQueue::wait_until_interruptible): the check
// tells whether the current thread must stop waiting (the process code
// installs one: "a signal is pending and unblocked"). It runs under the
// scheduler lock: it may only read. Without one, nothing interrupts.
using InterruptionCheck = bool (*)();
void set_interruption_check(InterruptionCheck check);
bool current_is_interrupted();
// Wakes `thread` if it is blocked in an interruptible wait, so that the
// wait sees its check; other waits are left alone. Any context.
void interrupt_thread(Thread& thread);

// Gives the CPU to another runnable thread, if there is one to run now.
void yield();
// Sleeps at least `ns` nanoseconds / until the monotonic clock reaches
// `deadline_ns` (resolution: the next interrupt after the deadline, at most
// one tick late).
void sleep_ns(u64 ns);
void sleep_until_ns(u64 deadline_ns);
// Ends the calling thread (as if its entry function returned).
[[noreturn]] void exit_current_thread();

// Preemption control for short critical sections that must stay on this
// CPU without disabling interrupts. Nests. Blocking is not allowed inside.
void preempt_disable();
void preempt_enable();

class PreemptionDisabler {
public:
    PreemptionDisabler() { preempt_disable(); }
    ~PreemptionDisabler() { preempt_enable(); }
    PreemptionDisabler(const PreemptionDisabler&) = delete;
    PreemptionDisabler& operator=(const PreemptionDisabler&) = delete;
};

// A consistent copy of one thread's public state, for listings.
struct ThreadSnapshot {
    u64 id;
    char name[24];
    SchedulingClass scheduling_class;
    u8 realtime_priority;
    i8 nice;
    u8 state; // ThreadState
    u64 voluntary_switches;
    u64 involuntary_switches;
    u64 cpu_time_ns;
};
// Copies up to `capacity` threads (in creation order) and returns how many
// threads there are (which may be more). Takes the lock once.
usize snapshot_threads(ThreadSnapshot* out, usize capacity);

// The internal interface of kernel/sched (Thread, WaitQueue, Mutex,
// Semaphore, ConditionVariable, and the functions above). The _locked
// functions run under the scheduler lock, held by the caller through a
// SpinlockGuard on lock().
class Scheduler {
public:
    static Spinlock& lock();

    // VERIFYs that the caller may block (see above).
    static void verify_can_block();

    // Blocks the current thread on `queue` (or on nothing, to sleep) until
    // it is woken or the monotonic clock reaches `deadline_ns`
    // (NO_DEADLINE: never). Returns at once with TimedOut if the deadline
    // has passed. Switches away with the lock held and returns with it held.
    static WakeReason block_locked(WaitQueue* queue, u64 deadline_ns);
    // Makes a Blocked or Sleeping thread runnable (taking it off its wait
    // queue and timer). False if it was not waiting.
    static bool wake_locked(Thread& thread, WakeReason reason);

    // Switches to a better thread if a wake-up asked for it and this is a
    // place where the current thread may be preempted (a thread, not an
    // interrupt handler; preemption enabled). Call without locks.
    static void preempt_point();

    // Thread::create's last step: registers and enqueues the new thread.
    static void start_thread(Thread& thread);
    // A new thread's first step: releases the lock its creator's switch
    // handed over and enables interrupts.
    static void finish_first_switch();

    static void init(StringView boot_thread_name);
    static void yield();
    static void sleep_until(u64 deadline_ns);
    [[noreturn]] static void exit_current();
    static void preempt_disable();
    static void preempt_enable();
    static usize snapshot(ThreadSnapshot* out, usize capacity);
    static u64 cpu_time_locked(const Thread& thread);

private:
    static CpuScheduler& this_cpu();
    static void schedule_locked(CpuScheduler& cpu, DescheduleReason reason);
    static void account_locked(CpuScheduler& cpu, u64 now_ns);
    static void interrupt_exit();
    static void idle_main(void*);
    static void reaper_main(void*);
};

} // namespace sched
