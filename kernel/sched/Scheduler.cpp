// The scheduler's mechanics: switching, blocking, waking, timers,
// preemption, exit and reaping (design and locking rules in Scheduler.h).
#include <kernel/arch/Cpu.h>
#include <kernel/arch/x86_64/ThreadContext.h>
#include <kernel/core/Panic.h>
#include <kernel/irq/Irq.h>
#include <kernel/log/Log.h>
#include <kernel/mm/MemoryManager.h>
#include <kernel/sched/Scheduler.h>
#include <kernel/sched/Thread.h>
#include <kernel/time/Clock.h>

extern "C" char kernel_boot_stack_top[];

namespace sched {

// One CPU's scheduling state; x86::Cpu::scheduler points at it. Guarded by
// the scheduler lock, except preempt_count, which only its own CPU touches
// (and its interrupt exit hook only reads).
struct CpuScheduler {
    u32 cpu_index { 0 };
    Thread* current { nullptr };
    Thread* idle { nullptr };
    RunQueue run_queue;
    TimerQueue timers;
    u64 accounted_at_ns { 0 }; // CPU time is charged up to here
    bool need_resched { false };
    u32 preempt_count { 0 };
};

namespace {

constinit Spinlock s_lock;
[[clang::no_destroy]] constinit CpuScheduler s_boot_cpu;
[[clang::no_destroy]] constinit Thread::AllThreadsList s_threads;
// Dead threads whose stacks the reaper has not freed yet (through m_wait_link).
[[clang::no_destroy]] constinit lib::IntrusiveList<WaitLink, &WaitLink::node> s_dead;
[[clang::no_destroy]] constinit WaitQueue s_reaper_queue;
bool s_running = false; // written once by init(), read atomically

Thread& thread_of(SchedEntity& entity)
{
    return *static_cast<Thread*>(entity.owner);
}

} // namespace

Spinlock& Scheduler::lock()
{
    return s_lock;
}

CpuScheduler& Scheduler::this_cpu()
{
    return *x86::current_scheduler();
}

void Scheduler::verify_can_block()
{
    VERIFY(arch::interrupts_enabled()); // also catches a held spinlock
    CpuScheduler& cpu = this_cpu();
    VERIFY(cpu.preempt_count == 0);
    VERIFY(cpu.current != cpu.idle);
}

void Scheduler::account_locked(CpuScheduler& cpu, u64 now_ns)
{
    Thread& running = *cpu.current;
    u64 delta = now_ns > cpu.accounted_at_ns ? now_ns - cpu.accounted_at_ns : 0;
    cpu.accounted_at_ns = now_ns > cpu.accounted_at_ns ? now_ns : cpu.accounted_at_ns;
    running.m_cpu_time_ns += delta;
    if (&running == cpu.idle) {
        if (cpu.run_queue.queued_count())
            cpu.need_resched = true;
        return;
    }
    if (cpu.run_queue.account(running.m_entity, delta))
        cpu.need_resched = true;
}

u64 Scheduler::cpu_time_locked(const Thread& thread)
{
    u64 time = thread.m_cpu_time_ns;
    if (thread.m_state == ThreadState::Running && thread.m_cpu) {
        u64 now = ktime::monotonic_ns();
        if (now > thread.m_cpu->accounted_at_ns)
            time += now - thread.m_cpu->accounted_at_ns;
    }
    return time;
}

// The one place threads are switched. `reason` says why the current thread
// stops: Blocked (its state is already Blocked, Sleeping or Dead),
// Preempted or Yielded (it stays runnable).
void Scheduler::schedule_locked(CpuScheduler& cpu, DescheduleReason reason)
{
    Thread& previous = *cpu.current;
    account_locked(cpu, ktime::monotonic_ns());
    if (&previous != cpu.idle)
        cpu.run_queue.deschedule(previous.m_entity, reason);
    if (previous.m_state == ThreadState::Running)
        previous.m_state = ThreadState::Runnable;

    SchedEntity* entity = cpu.run_queue.pick_next();
    Thread& next = entity ? thread_of(*entity) : *cpu.idle;
    cpu.need_resched = false;
    next.m_state = ThreadState::Running;
    if (&next == &previous)
        return;

    if (reason == DescheduleReason::Preempted)
        ++previous.m_involuntary_switches;
    else
        ++previous.m_voluntary_switches;
    cpu.current = &next;
    x86::set_current_thread(&next);
    x86::switch_context(previous.m_context, next.m_context);
    // Resumed: whoever switched back to us holds the lock for us.
}

WakeReason Scheduler::block_locked(WaitQueue* queue, u64 deadline_ns)
{
    CpuScheduler& cpu = this_cpu();
    Thread& self = *cpu.current;
    VERIFY(&self != cpu.idle);
    if (deadline_ns != NO_DEADLINE && deadline_ns <= ktime::monotonic_ns())
        return WakeReason::TimedOut;
    self.m_wake_reason = WakeReason::None;
    if (queue) {
        queue->m_waiters.push_back(self.m_wait_link);
        self.m_wait_queue = queue;
    }
    if (deadline_ns != NO_DEADLINE) {
        self.m_timer.deadline_ns = deadline_ns;
        cpu.timers.insert(self.m_timer);
    }
    self.m_state = queue ? ThreadState::Blocked : ThreadState::Sleeping;
    schedule_locked(cpu, DescheduleReason::Blocked);
    return self.m_wake_reason;
}

bool Scheduler::wake_locked(Thread& thread, WakeReason reason)
{
    if (thread.m_state != ThreadState::Blocked && thread.m_state != ThreadState::Sleeping)
        return false;
    CpuScheduler& cpu = *thread.m_cpu;
    if (thread.m_wait_queue) {
        thread.m_wait_queue->m_waiters.remove(thread.m_wait_link);
        thread.m_wait_queue = nullptr;
    }
    if (thread.m_timer.is_armed())
        cpu.timers.remove(thread.m_timer);
    thread.m_wake_reason = reason;
    thread.m_state = ThreadState::Runnable;
    cpu.run_queue.enqueue(thread.m_entity, Placement::Wakeup);
    if (cpu.current == cpu.idle || cpu.run_queue.should_preempt(cpu.current->m_entity, thread.m_entity))
        cpu.need_resched = true;
    return true;
}

void Scheduler::preempt_point()
{
    if (!arch::interrupts_enabled())
        return; // an interrupt handler, or a caller holding a spinlock
    CpuScheduler& cpu = this_cpu();
    if (!__atomic_load_n(&cpu.need_resched, __ATOMIC_RELAXED) || cpu.preempt_count)
        return;
    SpinlockGuard guard(s_lock);
    if (cpu.need_resched)
        schedule_locked(cpu, DescheduleReason::Preempted);
}

// The irq exit hook: interrupts are off and no irq lock is held.
void Scheduler::interrupt_exit()
{
    CpuScheduler* cpu = x86::current_scheduler();
    if (!cpu)
        return;
    SpinlockGuard guard(s_lock);
    u64 now = ktime::monotonic_ns();
    while (TimerEntry* timer = cpu->timers.pop_expired(now))
        wake_locked(*static_cast<Thread*>(timer->owner), WakeReason::TimedOut);
    account_locked(*cpu, now);
    if (cpu->need_resched && cpu->preempt_count == 0)
        schedule_locked(*cpu, DescheduleReason::Preempted);
}

void Scheduler::start_thread(Thread& thread)
{
    CpuScheduler& cpu = this_cpu();
    thread.ref(); // the scheduler's reference, dropped by the reaper
    {
        SpinlockGuard guard(s_lock);
        thread.m_cpu = &cpu;
        thread.m_state = ThreadState::Runnable;
        s_threads.push_back(thread);
        cpu.run_queue.enqueue(thread.m_entity, Placement::New);
        if (cpu.current == cpu.idle || cpu.run_queue.should_preempt(cpu.current->m_entity, thread.m_entity))
            cpu.need_resched = true;
    }
    preempt_point();
}

void Scheduler::finish_first_switch()
{
    // The switch that started us holds the lock with interrupts off; end
    // that critical section as the SpinlockGuard of a resumed thread would.
    s_lock.unlock(arch::save_and_disable_interrupts());
    arch::enable_interrupts();
}

void Scheduler::yield()
{
    verify_can_block();
    SpinlockGuard guard(s_lock);
    schedule_locked(this_cpu(), DescheduleReason::Yielded);
}

void Scheduler::sleep_until(u64 deadline_ns)
{
    verify_can_block();
    SpinlockGuard guard(s_lock);
    while (block_locked(nullptr, deadline_ns) != WakeReason::TimedOut) { }
}

void Scheduler::exit_current()
{
    verify_can_block();
    // Never released here: the switch hands the lock to the next thread.
    SpinlockGuard guard(s_lock);
    CpuScheduler& cpu = this_cpu();
    Thread& self = *cpu.current;
    VERIFY(&self != cpu.idle);
    self.m_state = ThreadState::Dead;
    self.m_exit_waiters.wake_all_locked();
    s_dead.push_back(self.m_wait_link);
    s_reaper_queue.wake_all_locked();
    schedule_locked(cpu, DescheduleReason::Blocked);
    VERIFY_NOT_REACHED();
}

void Scheduler::preempt_disable()
{
    ++this_cpu().preempt_count;
}

void Scheduler::preempt_enable()
{
    CpuScheduler& cpu = this_cpu();
    VERIFY(cpu.preempt_count > 0);
    if (--cpu.preempt_count == 0)
        preempt_point();
}

usize Scheduler::snapshot(ThreadSnapshot* out, usize capacity)
{
    SpinlockGuard guard(s_lock);
    usize count = 0;
    for (Thread& thread : s_threads) {
        if (count < capacity) {
            ThreadSnapshot& snapshot = out[count];
            snapshot.id = thread.m_id;
            StringView name = thread.name();
            __builtin_memcpy(snapshot.name, name.characters(), name.length());
            snapshot.name[name.length()] = '\0';
            snapshot.scheduling_class = thread.m_entity.scheduling_class;
            snapshot.realtime_priority = thread.m_entity.realtime_priority;
            snapshot.nice = thread.m_entity.nice;
            snapshot.state = static_cast<u8>(thread.m_state);
            snapshot.voluntary_switches = thread.m_voluntary_switches;
            snapshot.involuntary_switches = thread.m_involuntary_switches;
            snapshot.cpu_time_ns = cpu_time_locked(thread);
        }
        ++count;
    }
    return count;
}

void Scheduler::idle_main(void*)
{
    // The interrupt exit hook switches away as soon as something is runnable;
    // `sti; hlt` cannot miss that interrupt (STI delays interrupts by one
    // instruction: Intel SDM vol. 2B, STI).
    for (;;)
        arch::wait_for_interrupt();
}

void Scheduler::reaper_main(void*)
{
    for (;;) {
        Thread* dead;
        {
            SpinlockGuard guard(s_lock);
            while (s_dead.is_empty())
                (void)block_locked(&s_reaper_queue, NO_DEADLINE);
            dead = s_dead.pop_front()->thread;
            s_threads.remove(*dead);
        }
        // The dead thread switched away for good before the lock was let go
        // (Scheduler.h), so nothing runs on this stack any more.
        if (dead->m_owns_stack) {
            if (auto result = mm::free_kernel_stack(dead->m_stack_top); result.is_error())
                klog::error("sched: cannot free the stack of thread {}: {}", dead->m_id, result.error());
            dead->m_owns_stack = false;
        }
        dead->unref();
    }
}

void Scheduler::init(StringView boot_thread_name)
{
    x86::fpu_init();
    CpuScheduler& cpu = s_boot_cpu;
    cpu.cpu_index = x86::current_cpu().index;

    Thread* boot = new (std::nothrow) Thread(boot_thread_name, ThreadOptions {});
    if (!boot)
        kernel::panic("sched: no memory for the boot thread");
    boot->m_stack_top = reinterpret_cast<VirtAddr>(kernel_boot_stack_top);
    x86::adopt_current_context(boot->m_context, boot->m_stack_top);

    char idle_name[Thread::NAME_CAPACITY];
    usize idle_name_length = format_to(idle_name, sizeof(idle_name), "idle{}", cpu.cpu_index);
    ThreadOptions idle_options;
    idle_options.scheduling_class = SchedulingClass::Idle;
    idle_options.stack_pages = 2;
    auto idle = Thread::create_unstarted(StringView(idle_name, idle_name_length), idle_main, nullptr, idle_options);
    if (idle.is_error())
        kernel::panic("sched: cannot create the idle thread: {}", idle.error());

    {
        SpinlockGuard guard(s_lock);
        cpu.idle = idle.release_value().leak_ref(); // the scheduler's reference, for good
        cpu.idle->m_cpu = &cpu;
        boot->m_cpu = &cpu;
        s_threads.push_back(*boot);
        s_threads.push_back(*cpu.idle);
        cpu.run_queue.enqueue(boot->m_entity, Placement::New);
        VERIFY(cpu.run_queue.pick_next() == &boot->m_entity);
        boot->m_state = ThreadState::Running;
        cpu.current = boot;
        cpu.accounted_at_ns = ktime::monotonic_ns();
        x86::current_cpu().scheduler = &cpu;
        x86::set_current_thread(boot);
    }
    x86::set_kernel_stack(boot->m_stack_top);
    __atomic_store_n(&s_running, true, __ATOMIC_RELEASE);
    irq::set_exit_hook(interrupt_exit);

    auto reaper = Thread::create("reaper", reaper_main, nullptr);
    if (reaper.is_error())
        kernel::panic("sched: cannot create the reaper thread: {}", reaper.error());
    klog::info(
        "sched: running; '{}' is thread {}, idle thread {}, time slices {} ms (normal latency), {} ms (realtime)",
        boot->name(), boot->id(), cpu.idle->id(), SCHED_LATENCY_NS / 1'000'000, REALTIME_SLICE_NS / 1'000'000);
}

// The public functions (Scheduler.h).

void init(StringView boot_thread_name)
{
    Scheduler::init(boot_thread_name);
}

bool is_running()
{
    return __atomic_load_n(&s_running, __ATOMIC_ACQUIRE);
}

Thread& current()
{
    return *x86::current_thread();
}

void yield()
{
    Scheduler::yield();
}

void sleep_ns(u64 ns)
{
    // A sleep too long to represent still ends (a moment before the end of time).
    u64 deadline = deadline_after(ktime::monotonic_ns(), ns);
    Scheduler::sleep_until(deadline == NO_DEADLINE ? NO_DEADLINE - 1 : deadline);
}

void sleep_until_ns(u64 deadline_ns)
{
    Scheduler::sleep_until(deadline_ns);
}

void exit_current_thread()
{
    Scheduler::exit_current();
}

void preempt_disable()
{
    Scheduler::preempt_disable();
}

void preempt_enable()
{
    Scheduler::preempt_enable();
}

usize snapshot_threads(ThreadSnapshot* out, usize capacity)
{
    return Scheduler::snapshot(out, capacity);
}

} // namespace sched
