#pragma once

// The signal state (signal(7)) of a process: the dispositions set with
// rt_sigaction and the set of process-directed pending signals (kill); and
// of each of its threads: the blocked mask (rt_sigprocmask), the
// thread-directed pending set (tgkill, tkill, faults) and the per-call
// state below.
//
// Signal n is bit n-1 of a mask, as in the kernel's 8-byte sigset_t.
// SignalAction is the kernel's struct sigaction on x86_64
// (include/linux/signal_types.h: handler, flags, restorer, mask; 32 bytes).
//
// Standard signals do not queue: a signal already pending keeps the origin
// (sender pid and uid, si_code) recorded when it was first posted, as on
// Linux. Real-time signals do not queue either (one instance each).
//
// Locking: `pending` is written with atomic operations by any sender
// (under g_table_lock, which keeps the process alive) and read by the
// owner; `origins` is written by senders under g_table_lock and read by the
// owner under it. The dispositions are shared by the threads and changed
// by rt_sigaction from any of them: they are read and written as whole
// copies under `actions_lock` (a leaf lock; g_table_lock may be held); `blocked`
// is written only by its thread and read by senders (atomic loads); the
// saved mask and the rest belong to the thread.
#include <kernel/lib/Spinlock.h>
#include <kernel/lib/Types.h>
#include <kernel/user/Signal.h>

namespace proc {

struct SignalAction {
    u64 handler;
    u64 flags;
    u64 restorer;
    u64 mask;
};
static_assert(sizeof(SignalAction) == 32);

inline constexpr u64 SIGNAL_DEFAULT = 0; // SIG_DFL
inline constexpr u64 SIGNAL_IGNORE = 1;  // SIG_IGN

// sa_flags (asm-generic/signal.h, x86 SA_RESTORER), renamed: host headers
// define the SA_ macros.
inline constexpr u64 ACTION_NO_CHILD_STOP = 0x00000001; // SA_NOCLDSTOP
inline constexpr u64 ACTION_NO_CHILD_WAIT = 0x00000002; // SA_NOCLDWAIT
inline constexpr u64 ACTION_SIGINFO = 0x00000004;       // SA_SIGINFO
inline constexpr u64 ACTION_RESTORER = 0x04000000;      // SA_RESTORER
inline constexpr u64 ACTION_ON_STACK = 0x08000000;      // SA_ONSTACK
inline constexpr u64 ACTION_RESTART = 0x10000000;       // SA_RESTART
inline constexpr u64 ACTION_NO_DEFER = 0x40000000;      // SA_NODEFER
inline constexpr u64 ACTION_RESET_HANDLER = 0x80000000; // SA_RESETHAND

constexpr u64 signal_bit(int signal)
{
    return u64(1) << (signal - 1);
}

inline constexpr int SIGNAL_KILL = 9;
inline constexpr int SIGNAL_STOP = 19;
inline constexpr int SIGNAL_CONTINUE = 18;
inline constexpr int SIGNAL_HANGUP = 1;
inline constexpr int SIGNAL_PIPE = 13;
inline constexpr int SIGNAL_CHILD = 17;
inline constexpr u64 UNBLOCKABLE_SIGNALS = signal_bit(SIGNAL_KILL) | signal_bit(SIGNAL_STOP);

constexpr bool is_valid_signal(int signal)
{
    return signal >= 1 && signal <= user::SIGNAL_MAX;
}

// si_code values (asm-generic/siginfo.h).
inline constexpr i32 CODE_USER = 0;            // SI_USER: kill()
inline constexpr i32 CODE_KERNEL = 0x80;       // SI_KERNEL
inline constexpr i32 CODE_THREAD_KILL = -6;    // SI_TKILL: tkill(), tgkill()
inline constexpr i32 CODE_CHILD_EXITED = 1;    // CLD_EXITED
inline constexpr i32 CODE_CHILD_KILLED = 2;    // CLD_KILLED
inline constexpr i32 CODE_CHILD_STOPPED = 5;   // CLD_STOPPED
inline constexpr i32 CODE_CHILD_CONTINUED = 6; // CLD_CONTINUED

// Who sent a pending signal: siginfo's si_code, si_pid, si_uid (and for
// SIGCHLD si_status).
struct SignalOrigin {
    i32 code { CODE_KERNEL };
    i32 pid { 0 };
    u32 uid { 0 };
    i32 status { 0 };
};

// sigaltstack(2): size 0 means disabled. With SS_AUTODISARM the stack is
// disabled while a handler runs on it (and restored by its sigreturn).
struct AlternateStack {
    u64 base { 0 };
    u64 size { 0 };
    bool auto_disarm { false };

    bool contains(u64 stack_pointer) const { return stack_pointer > base && stack_pointer - base <= size; }
};

// What restart_syscall continues after a signal without a handler stopped
// a sleep (Linux's restart_block for nanosleep): the sleep's deadline on
// the monotonic clock and where to write the time left (0: nowhere).
struct SleepRestart {
    u64 deadline_ns { 0 };
    u64 remaining_address { 0 };
    bool armed { false };
};

// A process's: dispositions and process-directed pending signals.
struct SignalState {
    SignalAction action(int signal) const
    {
        SpinlockGuard guard(actions_lock);
        return actions[signal - 1];
    }
    // Installs `fresh` (if given) and returns what was there.
    SignalAction exchange_action(int signal, const SignalAction* fresh)
    {
        SpinlockGuard guard(actions_lock);
        SignalAction old = actions[signal - 1];
        if (fresh)
            actions[signal - 1] = *fresh;
        return old;
    }
    // SA_RESETHAND: back to SIG_DFL once the handler is entered.
    void reset_handler(int signal)
    {
        SpinlockGuard guard(actions_lock);
        actions[signal - 1].handler = SIGNAL_DEFAULT;
    }
    // fork.
    void copy_actions_from(const SignalState& other)
    {
        SignalAction copy[user::SIGNAL_MAX];
        {
            SpinlockGuard guard(other.actions_lock);
            __builtin_memcpy(copy, other.actions, sizeof(copy));
        }
        SpinlockGuard guard(actions_lock);
        __builtin_memcpy(actions, copy, sizeof(actions));
    }
    // execve: caught signals go back to SIG_DFL; ignored ones stay ignored.
    void reset_caught_actions()
    {
        SpinlockGuard guard(actions_lock);
        for (SignalAction& action : actions) {
            if (action.handler != SIGNAL_IGNORE)
                action = {};
        }
    }

    mutable Spinlock actions_lock;
    SignalAction actions[user::SIGNAL_MAX] {}; // index signal - 1; guarded by actions_lock
    u64 pending { 0 };                         // atomic
    SignalOrigin origins[user::SIGNAL_MAX] {};
};

// A thread's: its mask, its own pending signals and the per-call state.
struct ThreadSignalState {
    u64 blocked { 0 };
    u64 pending { 0 }; // atomic
    SignalOrigin origins[user::SIGNAL_MAX] {};
    // The caller's mask while rt_sigtimedwait waits with its set unblocked:
    // a signal blocked there is not discarded as ignored (Linux's
    // real_blocked).
    u64 real_blocked { 0 };
    // The caller's own mask while rt_sigsuspend, or ppoll, pselect6 and
    // epoll_pwait ended by a signal, leave a temporary one in `blocked`: the
    // handler frame saves it (so sigreturn restores it), or delivery restores
    // it when no handler runs (Linux's saved_sigmask).
    u64 saved_blocked { 0 };
    bool has_saved_blocked { false };
    AlternateStack alternate_stack {};
    SleepRestart sleep_restart {};
    // The current system call's EINTR must stay EINTR whatever its restart
    // policy says: a socket wait with SO_RCVTIMEO/SO_SNDTIMEO (Linux's
    // sock_intr_errno gives EINTR, not ERESTARTSYS, for a finite timeout).
    // Cleared when the call returns to ring 3.
    bool interruption_is_final { false };
};

} // namespace proc
