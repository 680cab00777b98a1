// Signals through the kernel's rt_sigaction and rt_sigprocmask (Linux x86_64).
//
// On x86_64 the kernel requires SA_RESTORER: after a handler returns it jumps
// to sa_restorer, which must call rt_sigreturn to restore the interrupted
// context from the signal frame. sigaction() always installs libc's
// __signal_restorer (signal/restorer.S) for that. struct sigaction is already
// the kernel's layout, so it is passed through; the mask size is 8 bytes.

#include "../internal/syscall.h"
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

void __signal_restorer(void);

int sigaction(int signal, const struct sigaction* restrict action, struct sigaction* restrict old_action)
{
    struct sigaction kernel_action;
    if (action) {
        kernel_action = *action;
        kernel_action.sa_flags |= SA_RESTORER;
        kernel_action.sa_restorer = __signal_restorer;
        action = &kernel_action;
    }
    return (int)SYSCALL4(rt_sigaction, signal, action, old_action, sizeof(sigset_t));
}

sighandler_t signal(int signal, sighandler_t handler)
{
    // BSD semantics, as glibc's signal(): restart calls, keep the handler.
    struct sigaction action = { .sa_handler = handler, .sa_flags = SA_RESTART };
    struct sigaction old_action;
    if (sigaction(signal, &action, &old_action) < 0)
        return SIG_ERR;
    return old_action.sa_handler;
}

int kill(pid_t pid, int signal)
{
    return (int)SYSCALL2(kill, pid, signal);
}

int killpg(pid_t pgrp, int signal)
{
    if (pgrp < 0) {
        errno = EINVAL;
        return -1;
    }
    return kill(-pgrp, signal);
}

int raise(int signal)
{
    return (int)SYSCALL3(tgkill, getpid(), gettid(), signal);
}

int sigprocmask(int how, const sigset_t* restrict set, sigset_t* restrict old_set)
{
    return (int)SYSCALL4(rt_sigprocmask, how, set, old_set, sizeof(sigset_t));
}

int sigsuspend(const sigset_t* mask)
{
    return (int)SYSCALL2(rt_sigsuspend, mask, sizeof(sigset_t));
}

int sigaltstack(const stack_t* restrict stack, stack_t* restrict old_stack)
{
    return (int)SYSCALL2(sigaltstack, stack, old_stack);
}

int sigtimedwait(const sigset_t* restrict set, siginfo_t* restrict info, const struct timespec* restrict timeout)
{
    return (int)SYSCALL4(rt_sigtimedwait, set, info, timeout, sizeof(sigset_t));
}

int sigwaitinfo(const sigset_t* restrict set, siginfo_t* restrict info)
{
    return sigtimedwait(set, info, NULL);
}

// POSIX: returns the error number instead of setting errno, and never
// fails with EINTR (it waits again).
int sigwait(const sigset_t* restrict set, int* restrict signal)
{
    int taken;
    do
        taken = sigwaitinfo(set, NULL);
    while (taken < 0 && errno == EINTR);
    if (taken < 0)
        return errno;
    *signal = taken;
    return 0;
}

int sigpending(sigset_t* set)
{
    return (int)SYSCALL2(rt_sigpending, set, sizeof(sigset_t));
}

int sigemptyset(sigset_t* set)
{
    set->__bits[0] = 0;
    return 0;
}

int sigfillset(sigset_t* set)
{
    set->__bits[0] = ~0ul;
    return 0;
}

static int valid_signal(int signal)
{
    if (signal < 1 || signal >= NSIG) {
        errno = EINVAL;
        return 0;
    }
    return 1;
}

int sigaddset(sigset_t* set, int signal)
{
    if (!valid_signal(signal))
        return -1;
    set->__bits[0] |= 1ul << (signal - 1);
    return 0;
}

int sigdelset(sigset_t* set, int signal)
{
    if (!valid_signal(signal))
        return -1;
    set->__bits[0] &= ~(1ul << (signal - 1));
    return 0;
}

int sigismember(const sigset_t* set, int signal)
{
    if (!valid_signal(signal))
        return -1;
    return (int)((set->__bits[0] >> (signal - 1)) & 1);
}
