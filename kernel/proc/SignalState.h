#pragma once

// The signal state of a process (signal(7)): the dispositions set with
// rt_sigaction, the blocked mask (rt_sigprocmask; processes have one thread,
// so the thread's mask lives here) and the pending set.
//
// Signal n is bit n-1 of a mask, as in the kernel's 8-byte sigset_t.
// SignalAction is the kernel's struct sigaction on x86_64
// (include/linux/signal_types.h: handler, flags, restorer, mask; 32 bytes).
//
// Locking: `pending` is written with atomic operations by any sender
// (under g_table_lock, which keeps the process alive) and read by the
// owner; `actions` and `blocked` belong to the process's own thread.
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
inline constexpr int SIGNAL_PIPE = 13;
inline constexpr int SIGNAL_CHILD = 17;
inline constexpr u64 UNBLOCKABLE_SIGNALS = signal_bit(SIGNAL_KILL) | signal_bit(SIGNAL_STOP);

constexpr bool is_valid_signal(int signal)
{
    return signal >= 1 && signal <= user::SIGNAL_MAX;
}

struct SignalState {
    SignalAction actions[user::SIGNAL_MAX] {}; // index signal - 1
    u64 blocked { 0 };
    u64 pending { 0 }; // atomic
    // ppoll, pselect6 and epoll_pwait wait under a temporary mask; when they
    // end with EINTR the mask stays for the delivery, and this one (the
    // caller's own) goes into the handler's frame and back into `blocked`
    // afterwards (Linux's saved_sigmask, TIF_RESTORE_SIGMASK).
    u64 saved_blocked { 0 };
    bool restore_saved_blocked { false };
};

} // namespace proc
