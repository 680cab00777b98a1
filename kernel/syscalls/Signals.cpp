// Signals: rt_sigaction, rt_sigprocmask, rt_sigpending, rt_sigreturn,
// sigaltstack, kill, tkill, tgkill (the waits are in SignalWaits.cpp). The state and delivery are
// kernel/proc/Signals.h's; these check and copy the arguments. The sigset size must be 8 (EINVAL), as Linux's is on
// x86_64.
#include <kernel/proc/SignalFrame.h>
#include <kernel/proc/Signals.h>
#include <kernel/proc/UserThread.h>
#include <kernel/syscalls/Handlers.h>
#include <kernel/user/UserPtr.h>

namespace syscalls {

namespace {

constexpr u64 SIGSET_SIZE = 8;
constexpr u64 SIG_BLOCK = 0;
constexpr u64 SIG_UNBLOCK = 1;
constexpr u64 SIG_SETMASK = 2;

x86::InterruptFrame& syscall_frame()
{
    return *reinterpret_cast<x86::InterruptFrame*>(x86::kernel_stack() - sizeof(x86::InterruptFrame));
}

} // namespace

// rt_sigaction(signal, action, old_action, sigsetsize): EINVAL, EFAULT.
SYSCALL_HANDLER(rt_sigaction)
{
    if (arguments[3] != SIGSET_SIZE)
        return Error::from_errno(EINVAL);
    int signal = static_cast<int>(arguments[0]);
    proc::SignalAction fresh;
    if (arguments[1])
        TRY(user::copy_from_user(fresh, user::UserPtr<const proc::SignalAction>(arguments[1])));
    proc::SignalAction old;
    TRY(proc::change_signal_action(current_process(), signal, arguments[1] ? &fresh : nullptr, &old));
    if (arguments[2])
        TRY(user::copy_to_user(user::UserPtr<proc::SignalAction>(arguments[2]), old));
    return 0;
}

// rt_sigprocmask(how, set, old_set, sigsetsize): EINVAL, EFAULT. SIGKILL
// and SIGSTOP are silently left unblocked.
SYSCALL_HANDLER(rt_sigprocmask)
{
    if (arguments[3] != SIGSET_SIZE)
        return Error::from_errno(EINVAL);
    proc::ThreadSignalState& state = proc::UserThread::current()->signals();
    u64 old = state.blocked;
    if (arguments[1]) {
        u64 set;
        TRY(user::copy_from_user(set, user::UserPtr<const u64>(arguments[1])));
        switch (arguments[0]) {
        case SIG_BLOCK:
            state.blocked |= set;
            break;
        case SIG_UNBLOCK:
            state.blocked &= ~set;
            break;
        case SIG_SETMASK:
            state.blocked = set;
            break;
        default:
            return Error::from_errno(EINVAL);
        }
        state.blocked &= ~proc::UNBLOCKABLE_SIGNALS;
    }
    if (arguments[2])
        TRY(user::copy_to_user(user::UserPtr<u64>(arguments[2]), old));
    return 0;
}

// rt_sigpending(set, sigsetsize): the pending signals that are blocked.
SYSCALL_HANDLER(rt_sigpending)
{
    if (arguments[1] > SIGSET_SIZE)
        return Error::from_errno(EINVAL);
    const proc::ThreadSignalState& state = proc::UserThread::current()->signals();
    u64 pending = (__atomic_load_n(&current_process().signals().pending, __ATOMIC_ACQUIRE)
                      | __atomic_load_n(&state.pending, __ATOMIC_ACQUIRE))
        & state.blocked;
    TRY(user::copy_to_user(user::UserPtr<void>(arguments[0]), &pending, arguments[1]));
    return 0;
}

// rt_sigreturn(): back from a handler; returns the interrupted RAX. A bad
// frame ends the process with SIGSEGV, as on Linux.
SYSCALL_HANDLER(rt_sigreturn)
{
    proc::Process& process = current_process();
    u64 blocked = 0;
    proc::ThreadSignalState& state = proc::UserThread::current()->signals();
    auto restored = proc::pop_signal_frame(syscall_frame(), blocked, state.alternate_stack);
    if (restored.is_error())
        process.terminate(user::Signal::Segv);
    state.blocked = blocked;
    return restored.value();
}

// sigaltstack(stack, old_stack): EFAULT; EPERM while running on the
// alternate stack; EINVAL for unknown flags; ENOMEM for a stack smaller than
// MINSIGSTKSZ. SS_DISABLE turns it off, SS_AUTODISARM is kept.
SYSCALL_HANDLER(sigaltstack)
{
    struct StackDescription {
        u64 base;
        i32 flags;
        u32 padding;
        u64 size;
    };
    static_assert(sizeof(StackDescription) == 24);
    proc::AlternateStack& alternate = proc::UserThread::current()->signals().alternate_stack;
    u64 stack_pointer = syscall_frame().rsp;
    StackDescription old { alternate.base, proc::alternate_stack_flags(alternate, stack_pointer), 0, alternate.size };
    if (arguments[0]) {
        StackDescription fresh;
        TRY(user::copy_from_user(fresh, user::UserPtr<const StackDescription>(arguments[0])));
        if (alternate.contains(stack_pointer))
            return Error::from_errno(EPERM);
        i32 mode = fresh.flags & ~proc::STACK_AUTO_DISARM;
        if (mode != 0 && mode != proc::STACK_ON && mode != proc::STACK_DISABLE)
            return Error::from_errno(EINVAL);
        if (mode == proc::STACK_DISABLE) {
            alternate = {};
        } else {
            if (fresh.size < proc::MIN_SIGNAL_STACK_SIZE)
                return Error::from_errno(ENOMEM);
            alternate = { fresh.base, fresh.size, (fresh.flags & proc::STACK_AUTO_DISARM) != 0 };
        }
    }
    if (arguments[1])
        TRY(user::copy_to_user(user::UserPtr<StackDescription>(arguments[1]), old));
    return 0;
}

// kill(pid, signal): EINVAL, ESRCH.
SYSCALL_HANDLER(kill)
{
    TRY(proc::send_signal(current_process(), static_cast<i32>(arguments[0]), static_cast<int>(arguments[1])));
    return 0;
}

// tkill(tid, signal): to that thread only; ESRCH when there is none.
SYSCALL_HANDLER(tkill)
{
    i32 tid = static_cast<i32>(arguments[0]);
    int signal = static_cast<int>(arguments[1]);
    if (tid <= 0 || (signal != 0 && !proc::is_valid_signal(signal)))
        return Error::from_errno(EINVAL);
    TRY(proc::send_thread_signal(current_process(), 0, tid, signal));
    return 0;
}

// tgkill(tgid, tid, signal): to thread tid of process tgid; ESRCH unless
// tid is in tgid.
SYSCALL_HANDLER(tgkill)
{
    i32 tgid = static_cast<i32>(arguments[0]);
    i32 tid = static_cast<i32>(arguments[1]);
    int signal = static_cast<int>(arguments[2]);
    if (tgid <= 0 || tid <= 0 || (signal != 0 && !proc::is_valid_signal(signal)))
        return Error::from_errno(EINVAL);
    TRY(proc::send_thread_signal(current_process(), tgid, tid, signal));
    return 0;
}

} // namespace syscalls
