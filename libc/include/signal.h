#pragma once

// Signals with the Linux x86_64 numbers. struct sigaction here IS the kernel's
// struct for rt_sigaction(2) (include/linux/signal_types.h on x86_64: handler,
// flags, restorer, mask), so sigaction() passes it straight through after
// adding SA_RESTORER and libc's restorer trampoline, which calls rt_sigreturn.
// sigset_t is the kernel's 64-bit set (8 bytes, not glibc's 128).

#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIGHUP       1
#define SIGINT       2
#define SIGQUIT      3
#define SIGILL       4
#define SIGTRAP      5
#define SIGABRT      6
#define SIGIOT       SIGABRT
#define SIGBUS       7
#define SIGFPE       8
#define SIGKILL      9
#define SIGUSR1      10
#define SIGSEGV      11
#define SIGUSR2      12
#define SIGPIPE      13
#define SIGALRM      14
#define SIGTERM      15
#define SIGSTKFLT    16
#define SIGCHLD      17
#define SIGCONT      18
#define SIGSTOP      19
#define SIGTSTP      20
#define SIGTTIN      21
#define SIGTTOU      22
#define SIGURG       23
#define SIGXCPU      24
#define SIGXFSZ      25
#define SIGVTALRM    26
#define SIGPROF      27
#define SIGWINCH     28
#define SIGIO        29
#define SIGPOLL      SIGIO
#define SIGPWR       30
#define SIGSYS       31
#define SIGRTMIN     32
#define SIGRTMAX     64
#define NSIG         65
#define _NSIG        NSIG

#define SA_NOCLDSTOP 0x00000001ul
#define SA_NOCLDWAIT 0x00000002ul
#define SA_SIGINFO   0x00000004ul
#define SA_RESTORER  0x04000000ul
#define SA_ONSTACK   0x08000000ul
#define SA_RESTART   0x10000000ul
#define SA_NODEFER   0x40000000ul
#define SA_RESETHAND 0x80000000ul

#define SIG_BLOCK    0
#define SIG_UNBLOCK  1
#define SIG_SETMASK  2

typedef void (*sighandler_t)(int);
#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN ((sighandler_t)1)
#define SIG_ERR ((sighandler_t)-1)

typedef int sig_atomic_t;

typedef struct {
    unsigned long __bits[1];
} sigset_t;

union sigval {
    int sival_int;
    void* sival_ptr;
};

// The kernel's siginfo (128 bytes): three ints, then a union at offset 16.
typedef struct {
    int si_signo;
    int si_errno;
    int si_code;
    int __pad;
    union {
        struct {
            pid_t si_pid;
            uid_t si_uid;
            int si_status;
        } __child;
        struct {
            void* si_addr;
        } __fault;
        struct {
            pid_t si_pid;
            uid_t si_uid;
            union sigval si_value;
        } __queue;
        char __size[128 - 16];
    } __fields;
} siginfo_t;

// si_code values (asm-generic/siginfo.h).
#define SI_USER       0
#define SI_KERNEL     0x80
#define SI_QUEUE      (-1)
#define SI_TKILL      (-6)
#define CLD_EXITED    1
#define CLD_KILLED    2
#define CLD_DUMPED    3
#define CLD_TRAPPED   4
#define CLD_STOPPED   5
#define CLD_CONTINUED 6

#define si_pid        __fields.__child.si_pid
#define si_uid        __fields.__child.si_uid
#define si_status     __fields.__child.si_status
#define si_addr       __fields.__fault.si_addr
#define si_value      __fields.__queue.si_value

struct sigaction {
    union {
        sighandler_t sa_handler;
        void (*sa_sigaction)(int, siginfo_t*, void*);
    } __handler;
    unsigned long sa_flags;
    void (*sa_restorer)(void);
    sigset_t sa_mask;
};
#define sa_handler   __handler.sa_handler
#define sa_sigaction __handler.sa_sigaction

// sigaltstack(2): the kernel's stack_t.
typedef struct {
    void* ss_sp;
    int ss_flags;
    size_t ss_size;
} stack_t;
#define SS_ONSTACK    1
#define SS_DISABLE    2
#define SS_AUTODISARM (1u << 31)
#define MINSIGSTKSZ   2048
#define SIGSTKSZ      8192

sighandler_t signal(int signal, sighandler_t handler);
int sigaltstack(const stack_t* restrict stack, stack_t* restrict old_stack);
int sigwaitinfo(const sigset_t* restrict set, siginfo_t* restrict info);
int sigtimedwait(const sigset_t* restrict set, siginfo_t* restrict info, const struct timespec* restrict timeout);
int sigwait(const sigset_t* restrict set, int* restrict signal);
int sigaction(int signal, const struct sigaction* restrict action, struct sigaction* restrict old_action);
int kill(pid_t pid, int signal);
int killpg(pid_t pgrp, int signal);
int raise(int signal);
int sigprocmask(int how, const sigset_t* restrict set, sigset_t* restrict old_set);
int sigsuspend(const sigset_t* mask);
int sigpending(sigset_t* set);
int sigemptyset(sigset_t* set);
int sigfillset(sigset_t* set);
int sigaddset(sigset_t* set, int signal);
int sigdelset(sigset_t* set, int signal);
int sigismember(const sigset_t* set, int signal);

#ifdef __cplusplus
}
#endif
