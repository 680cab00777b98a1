// Sending and delivering signals; see Signals.h.
#include <kernel/proc/ProcessTable.h>
#include <kernel/proc/SignalFrame.h>
#include <kernel/proc/Signals.h>
#include <kernel/proc/UserThread.h>
#include <kernel/sched/Scheduler.h>

namespace proc {

namespace {

constexpr u64 SYSCALL_INSTRUCTION_SIZE = 2;
constexpr i64 EINTR_RESULT = -EINTR;

bool is_ignored(const SignalAction& action, int signal)
{
    if (signal == SIGNAL_KILL || signal == SIGNAL_STOP)
        return false;
    if (action.handler == SIGNAL_IGNORE)
        return true;
    if (action.handler != SIGNAL_DEFAULT)
        return false;
    user::DefaultAction default_action = user::default_action(signal);
    return default_action == user::DefaultAction::Ignore || default_action == user::DefaultAction::Continue;
}

constexpr u64 STOP_SIGNALS = signal_bit(19) | signal_bit(20) | signal_bit(21) | signal_bit(22);

u64 blocked_by(const UserThread& thread)
{
    return __atomic_load_n(&thread.signals().blocked, __ATOMIC_ACQUIRE) & ~UNBLOCKABLE_SIGNALS;
}

// Wakes `thread` from an interruptible wait.
void interrupt(const UserThread& thread)
{
    if (sched::Thread* kernel_thread = thread.thread_locked())
        sched::interrupt_thread(*kernel_thread);
}

// Linux's sig_ignored: discarded at once unless some thread blocks it (or
// waits for it in rt_sigtimedwait).
bool discard_as_ignored_locked(Process& process, int signal)
{
    if (!is_ignored(process.signals().action(signal), signal))
        return false;
    bool blocked = false;
    process.for_each_thread_locked([&](UserThread& thread) {
        u64 mask = blocked_by(thread) | (thread.signals().real_blocked & ~UNBLOCKABLE_SIGNALS);
        blocked |= (mask & signal_bit(signal)) != 0;
    });
    return !blocked;
}

// Marks `signal` pending in `pending` with `origin` (a standard signal
// already pending keeps its first origin).
void mark_pending(u64& pending, SignalOrigin* origins, int signal, const SignalOrigin& origin)
{
    if (!(__atomic_load_n(&pending, __ATOMIC_ACQUIRE) & signal_bit(signal)))
        origins[signal - 1] = origin;
    __atomic_or_fetch(&pending, signal_bit(signal), __ATOMIC_RELEASE);
}

// A thread-directed signal (tgkill, tkill): pending in `thread` only.
void post_to_thread_locked(Process& process, UserThread& thread, int signal, const SignalOrigin& origin)
{
    if (process.is_zombie() || discard_as_ignored_locked(process, signal))
        return;
    ThreadSignalState& state = thread.signals();
    mark_pending(state.pending, state.origins, signal, origin);
    if (!(blocked_by(thread) & signal_bit(signal)) || signal == SIGNAL_KILL)
        interrupt(thread);
}

void post_locked(Process& process, int signal, const SignalOrigin& origin)
{
    if (process.is_zombie())
        return;
    SignalState& state = process.signals();
    // Stop and continue signals cancel each other's pending instances; a
    // SIGCONT resumes a stopped process whatever its disposition, a
    // SIGKILL resumes it to die.
    if (signal == SIGNAL_CONTINUE) {
        __atomic_and_fetch(&state.pending, ~STOP_SIGNALS, __ATOMIC_ACQ_REL);
        process.continue_locked(true);
    } else if (STOP_SIGNALS & signal_bit(signal)) {
        __atomic_and_fetch(&state.pending, ~signal_bit(SIGNAL_CONTINUE), __ATOMIC_ACQ_REL);
    } else if (signal == SIGNAL_KILL) {
        process.continue_locked(false);
    }
    if (discard_as_ignored_locked(process, signal))
        return;
    mark_pending(state.pending, state.origins, signal, origin);
    // Any thread not blocking it may take it: the first such thread is
    // woken (Linux's complete_signal); the others see it at their next
    // return towards ring 3.
    bool woken = false;
    process.for_each_thread_locked([&](UserThread& thread) {
        if (!woken && !(blocked_by(thread) & signal_bit(signal))) {
            interrupt(thread);
            woken = true;
        }
    });
}

// Gives `signal` to its handler: the frame, then the mask and SA_RESETHAND.
ErrorOr<void> run_handler(Process& process, x86::InterruptFrame& frame, int signal, const SignalInfo& info)
{
    ThreadSignalState& state = UserThread::current()->signals();
    SignalAction action = process.signals().action(signal);
    if (!(action.flags & ACTION_RESTORER))
        return Error::from_errno(EFAULT); // x86_64 has no kernel-provided restorer
    // After rt_sigsuspend the handler's return restores the caller's mask.
    u64 restored = state.has_saved_blocked ? state.saved_blocked : state.blocked;
    TRY(push_signal_frame(frame, action, info, restored, state.alternate_stack));
    state.has_saved_blocked = false;
    if (action.flags & ACTION_RESET_HANDLER)
        process.signals().reset_handler(signal);
    u64 added = action.mask | ((action.flags & ACTION_NO_DEFER) ? 0 : signal_bit(signal));
    state.blocked = (state.blocked | added) & ~UNBLOCKABLE_SIGNALS;
    return {};
}

// Takes `signal` off a pending set, with its origin. Under g_table_lock
// (senders write the origin there).
SignalInfo take_locked(u64& pending, const SignalOrigin* origins, int signal)
{
    __atomic_and_fetch(&pending, ~signal_bit(signal), __ATOMIC_ACQ_REL);
    const SignalOrigin& origin = origins[signal - 1];
    return { signal, origin.code, origin.pid, 0, origin.uid, origin.status };
}

// The signals pending for the calling thread: its own and its process's.
u64 pending_for(Process& process, const ThreadSignalState& state)
{
    return __atomic_load_n(&process.signals().pending, __ATOMIC_ACQUIRE)
        | __atomic_load_n(&state.pending, __ATOMIC_ACQUIRE);
}

// Takes `signal` from the thread's own set first, else the process's.
SignalInfo take_for_thread_locked(Process& process, ThreadSignalState& state, int signal)
{
    if (__atomic_load_n(&state.pending, __ATOMIC_ACQUIRE) & signal_bit(signal))
        return take_locked(state.pending, state.origins, signal);
    return take_locked(process.signals().pending, process.signals().origins, signal);
}

constexpr u64 RESTART_SYSCALL_NUMBER = 219; // restart_syscall

// Makes the interrupted system call run again once back in ring 3 (a sleep
// continues through restart_syscall).
void rewind_system_call(x86::InterruptFrame& frame, const SyscallRestart& restart)
{
    frame.rax = restart.policy == RestartPolicy::ThroughSleepRestart ? RESTART_SYSCALL_NUMBER : restart.number;
    frame.rip -= SYSCALL_INSTRUCTION_SIZE;
}

SignalOrigin origin_from(const Process& sender, i32 code)
{
    return { code, sender.pid(), sender.credentials().uid, 0 };
}

} // namespace

void post_signal_locked(Process& process, int signal, const SignalOrigin& origin)
{
    post_locked(process, signal, origin);
}

void raise_signal(Process& process, int signal)
{
    SpinlockGuard guard(g_table_lock);
    UserThread* thread = UserThread::current();
    if (thread && &thread->process() == &process)
        post_to_thread_locked(process, *thread, signal, origin_from(process, CODE_USER));
    else
        post_locked(process, signal, origin_from(process, CODE_USER));
}

ErrorOr<void> send_signal_to_pid(i32 pid, int signal)
{
    SpinlockGuard guard(g_table_lock);
    Process* target = find_locked(pid);
    if (!target)
        return Error::from_errno(ESRCH);
    post_locked(*target, signal, {});
    return {};
}

void send_signal_to_group(int group, int signal)
{
    if (group <= 0 || !is_valid_signal(signal))
        return;
    SpinlockGuard guard(g_table_lock);
    for (Process* process : g_table) {
        if (process && process->process_group_locked() == group)
            post_locked(*process, signal, {});
    }
}

ErrorOr<void> send_signal(Process& sender, i32 pid, int signal, i32 code)
{
    if (signal != 0 && !is_valid_signal(signal))
        return Error::from_errno(EINVAL);
    SignalOrigin origin = origin_from(sender, code);
    SpinlockGuard guard(g_table_lock);
    if (pid > 0) {
        Process* target = find_locked(pid);
        if (!target)
            return Error::from_errno(ESRCH);
        if (signal)
            post_locked(*target, signal, origin);
        return {};
    }
    i32 group = pid == 0 ? sender.process_group_locked() : -pid;
    bool found = false;
    for (Process* process : g_table) {
        if (!process)
            continue;
        bool selected
            = pid == -1 ? (process->pid() != INIT_PID && process != &sender) : process->process_group_locked() == group;
        if (!selected)
            continue;
        found = true;
        if (signal)
            post_locked(*process, signal, origin);
    }
    if (!found)
        return Error::from_errno(ESRCH);
    return {};
}

ErrorOr<void> send_thread_signal(Process& sender, i32 group, i32 tid, int signal)
{
    if (signal != 0 && !is_valid_signal(signal))
        return Error::from_errno(EINVAL);
    SignalOrigin origin = origin_from(sender, CODE_THREAD_KILL);
    SpinlockGuard guard(g_table_lock);
    for (Process* process : g_table) {
        if (!process || (group > 0 && process->pid() != group))
            continue;
        UserThread* thread = process->find_thread_locked(tid);
        if (!thread)
            continue;
        if (signal)
            post_to_thread_locked(*process, *thread, signal, origin);
        return {};
    }
    return Error::from_errno(ESRCH);
}

ErrorOr<void> change_signal_action(Process& process, int signal, const SignalAction* fresh, SignalAction* old)
{
    if (!is_valid_signal(signal))
        return Error::from_errno(EINVAL);
    if (fresh && (signal == SIGNAL_KILL || signal == SIGNAL_STOP))
        return Error::from_errno(EINVAL);
    SignalState& state = process.signals();
    SignalAction installed {};
    if (fresh) {
        installed = *fresh;
        installed.mask &= ~UNBLOCKABLE_SIGNALS;
    }
    SignalAction previous = state.exchange_action(signal, fresh ? &installed : nullptr);
    if (old)
        *old = previous;
    if (fresh) {
        // POSIX: setting an ignoring disposition discards the pending signal,
        // in the process and in every thread.
        if (is_ignored(*fresh, signal)) {
            SpinlockGuard guard(g_table_lock);
            __atomic_and_fetch(&state.pending, ~signal_bit(signal), __ATOMIC_RELEASE);
            process.for_each_thread_locked([&](UserThread& thread) {
                __atomic_and_fetch(&thread.signals().pending, ~signal_bit(signal), __ATOMIC_RELEASE);
            });
        }
    }
    return {};
}

bool has_signal_to_take()
{
    UserThread* thread = UserThread::current();
    if (!thread)
        return false;
    Process& process = thread->process();
    if (process.must_leave())
        return true;
    const ThreadSignalState& state = thread->signals();
    return pending_for(process, state) & ~(state.blocked & ~UNBLOCKABLE_SIGNALS);
}

void mark_interruption_final()
{
    if (UserThread* thread = UserThread::current())
        thread->signals().interruption_is_final = true;
}

void deliver_signals(x86::InterruptFrame& frame, SyscallRestart restart)
{
    UserThread* thread = UserThread::current();
    if (!thread)
        return;
    Process* process = &thread->process();
    process->wait_while_stopped();
    // Another thread ended the group, or is in execve.
    if (process->must_leave())
        process->leave_for_group();
    ThreadSignalState& state = thread->signals();
    bool final = state.interruption_is_final;
    state.interruption_is_final = false;
    // Only an EINTR caused by a signal to take is a restart candidate
    // (Linux's ERESTART* codes); a call's own EINTR (restart_syscall with
    // nothing to continue, a socket wait with a timeout) stays. With
    // threads, the signal that ended a wait may have been taken by another
    // thread meanwhile: the call then fails with EINTR (Linux restarts it).
    bool interrupted = restart.policy != RestartPolicy::Never && !final && static_cast<i64>(frame.rax) == EINTR_RESULT
        && has_signal_to_take();
    for (;;) {
        u64 ready = pending_for(*process, state) & ~(state.blocked & ~UNBLOCKABLE_SIGNALS);
        if (!ready) {
            // No handler ran: an interrupted call continues, and a
            // sigsuspend mask gives way to the caller's.
            if (interrupted)
                rewind_system_call(frame, restart);
            if (state.has_saved_blocked) {
                state.blocked = state.saved_blocked;
                state.has_saved_blocked = false;
            }
            return;
        }
        int signal = __builtin_ctzll(ready) + 1;
        SignalInfo info;
        {
            SpinlockGuard guard(g_table_lock);
            info = take_for_thread_locked(*process, state, signal);
        }
        SignalAction action = process->signals().action(signal);
        if (is_ignored(action, signal))
            continue;
        if (action.handler == SIGNAL_DEFAULT || signal == SIGNAL_KILL || signal == SIGNAL_STOP) {
            switch (user::default_action(signal)) {
            case user::DefaultAction::Terminate:
                process->terminate(static_cast<user::Signal>(signal));
            case user::DefaultAction::Stop:
                process->stop_for_signal(signal);
                continue;
            case user::DefaultAction::Ignore:
            case user::DefaultAction::Continue:
                continue;
            }
        }
        if (interrupted && restart.policy == RestartPolicy::UnlessHandlerRefuses && (action.flags & ACTION_RESTART))
            rewind_system_call(frame, restart);
        state.sleep_restart.armed = false; // a handler ends an interrupted sleep
        if (run_handler(*process, frame, signal, info).is_error())
            process->terminate(user::Signal::Segv);
        return;
    }
}

bool take_pending_signal(Process& process, u64 set, SignalInfo& info)
{
    ThreadSignalState& state = UserThread::current()->signals();
    SpinlockGuard guard(g_table_lock);
    u64 ready = pending_for(process, state) & set;
    if (!ready)
        return false;
    info = take_for_thread_locked(process, state, __builtin_ctzll(ready) + 1);
    return true;
}

bool deliver_fault_signal(x86::InterruptFrame& frame, int signal, u64 fault_address, bool bus_address_error)
{
    UserThread* thread = UserThread::current();
    if (!thread)
        return false;
    Process* process = &thread->process();
    const ThreadSignalState& state = thread->signals();
    SignalAction action = process->signals().action(signal);
    // As Linux's force_sig: a blocked or ignored fault signal kills.
    if ((state.blocked & signal_bit(signal)) || action.handler == SIGNAL_DEFAULT || action.handler == SIGNAL_IGNORE)
        return false;
    int code = signal == 11 ? 1 : CODE_KERNEL; // SEGV_MAPERR
    if (bus_address_error)
        code = 2; // BUS_ADRERR
    return !run_handler(*process, frame, signal, { signal, code, 0, fault_address }).is_error();
}

} // namespace proc
