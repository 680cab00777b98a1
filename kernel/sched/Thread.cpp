// Thread creation, identity, statistics and joining (see Thread.h).
#include <kernel/core/Panic.h>
#include <kernel/lib/Atomic.h>
#include <kernel/mm/MemoryManager.h>
#include <kernel/sched/Thread.h>
#include <kernel/time/Clock.h>

namespace sched {

namespace {

constinit lib::Atomic<u64> s_next_id { 1 };

} // namespace

StringView thread_state_name(ThreadState state)
{
    switch (state) {
    case ThreadState::Runnable:
        return "runnable";
    case ThreadState::Running:
        return "running";
    case ThreadState::Blocked:
        return "blocked";
    case ThreadState::Sleeping:
        return "sleeping";
    case ThreadState::Dead:
        return "dead";
    }
    return "?";
}

StringView scheduling_class_name(SchedulingClass scheduling_class)
{
    switch (scheduling_class) {
    case SchedulingClass::Realtime:
        return "realtime";
    case SchedulingClass::Normal:
        return "normal";
    case SchedulingClass::Idle:
        return "idle";
    }
    return "?";
}

Thread::Thread(StringView name, const ThreadOptions& options)
    : m_id(s_next_id.fetch_add(1, lib::MemoryOrder::Relaxed))
{
    m_name_length = min(name.length(), NAME_CAPACITY - 1);
    __builtin_memcpy(m_name, name.characters(), m_name_length);
    m_name[m_name_length] = '\0';
    m_entity.scheduling_class = options.scheduling_class;
    m_entity.realtime_policy = options.realtime_policy;
    m_entity.realtime_priority = options.realtime_priority;
    m_entity.set_nice(options.nice);
    m_entity.owner = this;
    m_timer.owner = this;
    m_wait_link.thread = this;
}

Thread::~Thread()
{
    VERIFY(m_state == ThreadState::Dead || !m_cpu);
    if (m_owns_stack)
        (void)mm::free_kernel_stack(m_stack_top);
}

ErrorOr<NonnullRefPtr<Thread>> Thread::create_unstarted(
    StringView name, Entry entry, void* argument, const ThreadOptions& options)
{
    if (options.realtime_priority >= REALTIME_PRIORITY_COUNT || options.nice < NICE_MIN || options.nice > NICE_MAX)
        return Error::from_errno(EINVAL);
    VirtAddr stack_top = TRY(mm::allocate_kernel_stack(options.stack_pages));
    Thread* thread = new (std::nothrow) Thread(name, options);
    if (!thread) {
        (void)mm::free_kernel_stack(stack_top);
        return Error::from_errno(ENOMEM);
    }
    thread->m_stack_top = stack_top;
    thread->m_owns_stack = true;
    x86::prepare_context(
        thread->m_context, stack_top, start, reinterpret_cast<u64>(entry), reinterpret_cast<u64>(argument));
    return adopt_ref(*thread);
}

ErrorOr<NonnullRefPtr<Thread>> Thread::create(
    StringView name, Entry entry, void* argument, const ThreadOptions& options)
{
    auto thread = TRY(create_unstarted(name, entry, argument, options));
    Scheduler::start_thread(*thread);
    return thread;
}

void Thread::start(u64 entry, u64 argument)
{
    Scheduler::finish_first_switch();
    reinterpret_cast<Entry>(entry)(reinterpret_cast<void*>(argument));
    exit_current_thread();
}

ThreadState Thread::state() const
{
    SpinlockGuard guard(Scheduler::lock());
    return m_state;
}

ThreadStatistics Thread::statistics() const
{
    SpinlockGuard guard(Scheduler::lock());
    return { m_voluntary_switches, m_involuntary_switches, Scheduler::cpu_time_locked(*this) };
}

ErrorOr<void> Thread::join(u64 timeout_ns)
{
    if (this == &current())
        return Error::from_errno(EDEADLK);
    u64 deadline = deadline_after(ktime::monotonic_ns(), timeout_ns);
    return m_exit_waiters.wait_until([this] { return m_state == ThreadState::Dead; }, deadline);
}

} // namespace sched
