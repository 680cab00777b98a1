// Waiting for signals: pause, rt_sigsuspend and rt_sigtimedwait. They sleep
// on a queue nobody wakes: a signal to take interrupts the wait
// (sched::interrupt_thread). Their EINTR restarts as RestartPolicy.h says.
#include <kernel/proc/ProcessTable.h>
#include <kernel/proc/SignalFrame.h>
#include <kernel/proc/Signals.h>
#include <kernel/proc/UserThread.h>
#include <kernel/sched/WaitQueue.h>
#include <kernel/syscalls/Handlers.h>
#include <kernel/time/Clock.h>
#include <kernel/user/UserPtr.h>

namespace syscalls {

namespace {

constexpr u64 SIGSET_SIZE = 8;

struct Timeout {
    i64 seconds;
    i64 nanoseconds;
};
static_assert(sizeof(Timeout) == 16);

// Sleeps until a signal is to be taken (EINTR) or `deadline_ns` (ETIMEDOUT;
// 0 = none).
ErrorOr<void> wait_for_signal(u64 deadline_ns)
{
    sched::WaitQueue nobody_wakes_this;
    if (deadline_ns)
        return nobody_wakes_this.wait_until_interruptible([] { return false; }, deadline_ns);
    return nobody_wakes_this.wait_until_interruptible([] { return false; });
}

} // namespace

// pause(): EINTR once a handler ran; a stop and continue keeps it waiting.
SYSCALL_HANDLER(pause)
{
    (void)arguments;
    return wait_for_signal(0).release_error();
}

// rt_sigsuspend(mask, sigsetsize): waits with `mask` as the blocked set;
// the caller's mask returns with the handler's return (or at once when no
// handler runs). EINVAL for a sigset size other than 8, EFAULT.
SYSCALL_HANDLER(rt_sigsuspend)
{
    if (arguments[1] != SIGSET_SIZE)
        return Error::from_errno(EINVAL);
    u64 mask;
    TRY(user::copy_from_user(mask, user::UserPtr<const u64>(arguments[0])));
    proc::ThreadSignalState& state = proc::UserThread::current()->signals();
    state.saved_blocked = state.blocked;
    state.has_saved_blocked = true;
    state.blocked = mask & ~proc::UNBLOCKABLE_SIGNALS;
    return wait_for_signal(0).release_error();
}

// rt_sigtimedwait(set, info, timeout, sigsetsize): takes a pending signal
// of `set` (SIGKILL and SIGSTOP left out), waiting for one until `timeout`
// (none: forever). Returns its number, its siginfo in `info` if not null.
// EAGAIN when the time is up, EINTR when another signal is taken, EINVAL
// for a bad timeout or sigset size, EFAULT.
SYSCALL_HANDLER(rt_sigtimedwait)
{
    if (arguments[3] != SIGSET_SIZE)
        return Error::from_errno(EINVAL);
    proc::Process& process = current_process();
    u64 set;
    TRY(user::copy_from_user(set, user::UserPtr<const u64>(arguments[0])));
    set &= ~proc::UNBLOCKABLE_SIGNALS;
    u64 deadline_ns = 0;
    bool poll_only = false;
    if (arguments[2]) {
        Timeout timeout;
        TRY(user::copy_from_user(timeout, user::UserPtr<const Timeout>(arguments[2])));
        if (timeout.seconds < 0 || timeout.nanoseconds < 0
            || timeout.nanoseconds >= static_cast<i64>(ktime::NS_PER_SECOND))
            return Error::from_errno(EINVAL);
        u64 seconds = min<u64>(static_cast<u64>(timeout.seconds), ~u64(0) / ktime::NS_PER_SECOND / 2);
        u64 duration = seconds * ktime::NS_PER_SECOND + static_cast<u64>(timeout.nanoseconds);
        poll_only = duration == 0;
        deadline_ns = ktime::monotonic_ns() + duration;
    }

    proc::SignalInfo info {};
    bool taken = proc::take_pending_signal(process, set, info);
    ErrorOr<void> waited = Error::from_errno(EAGAIN);
    if (!taken && !poll_only) {
        // The waited-for signals wake this thread while it sleeps; those
        // the caller blocks are still not discarded as ignored (Linux's
        // real_blocked).
        proc::ThreadSignalState& state = proc::UserThread::current()->signals();
        u64 blocked = state.blocked;
        {
            SpinlockGuard guard(proc::g_table_lock);
            state.real_blocked = blocked;
            state.blocked = blocked & ~set;
        }
        waited = wait_for_signal(deadline_ns);
        {
            SpinlockGuard guard(proc::g_table_lock);
            state.real_blocked = 0;
            state.blocked = blocked;
        }
        taken = proc::take_pending_signal(process, set, info);
    }
    if (!taken)
        return Error::from_errno(waited.is_error() && waited.error().code() == EINTR ? EINTR : EAGAIN);
    if (arguments[1])
        TRY(proc::copy_signal_info_to_user(arguments[1], info));
    return static_cast<u64>(info.signal);
}

} // namespace syscalls
