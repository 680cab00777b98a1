// Signals and non-local jumps: sigaction with a handler that runs and
// returns through the restorer (rt_sigreturn) with the interrupted state
// intact, SA_SIGINFO, SA_RESETHAND, masks and pending signals, SIG_IGN,
// signals between processes, and setjmp/longjmp/sigsetjmp/siglongjmp,
// including a jump out of a handler.

#include "check.h"
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t s_handled;
static volatile sig_atomic_t s_last_signal;
static volatile int s_info_signal;
static volatile int s_info_code_is_user;
static volatile int s_info_pid_matches;

static void count_handler(int signal)
{
    ++s_handled;
    s_last_signal = signal;
}

static void info_handler(int signal, siginfo_t* info, void* context)
{
    (void)context;
    s_info_signal = info->si_signo == signal ? signal : -1;
    s_info_code_is_user = info->si_code <= 0; // SI_USER (0) or SI_TKILL (-6)
    s_info_pid_matches = info->si_pid == getpid();
}

// Keeps many values live in registers across the signal, so a broken
// sigreturn (registers not restored) would change the sums.
static long registers_survive(void)
{
    volatile long seed = 3;
    long a = seed * 1, b = seed * 2, c = seed * 3, d = seed * 4, e = seed * 5, f = seed * 6;
    long g = seed * 7, h = seed * 8, i = seed * 9, j = seed * 10, k = seed * 11, l = seed * 12;
    double x = (double)seed * 1.5, y = (double)seed * 2.5;
    raise(SIGUSR1);
    return a + b + c + d + e + f + g + h + i + j + k + l + (long)(x * y * 4);
}

static void test_handlers(void)
{
    check_section("handlers");
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = count_handler;
    sigemptyset(&action.sa_mask);
    CHECK(sigaction(SIGUSR1, &action, NULL) == 0);
    s_handled = 0;
    CHECK(raise(SIGUSR1) == 0);
    CHECK(s_handled == 1 && s_last_signal == SIGUSR1);
    CHECK(registers_survive() == 3 * 78 + 135 && s_handled == 2);

    struct sigaction old;
    CHECK(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == count_handler);

    memset(&action, 0, sizeof(action));
    action.sa_sigaction = info_handler;
    action.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGUSR2, &action, NULL) == 0);
    raise(SIGUSR2);
    CHECK(s_info_signal == SIGUSR2 && s_info_code_is_user && s_info_pid_matches);

    // SA_RESETHAND: the handler runs once, then the default action is back.
    memset(&action, 0, sizeof(action));
    action.sa_handler = count_handler;
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGWINCH, &action, NULL);
    s_handled = 0;
    raise(SIGWINCH);
    CHECK(sigaction(SIGWINCH, NULL, &old) == 0 && old.sa_handler == SIG_DFL && s_handled == 1);

    CHECK(signal(SIGUSR1, SIG_IGN) == count_handler);
    s_handled = 0;
    raise(SIGUSR1);
    CHECK(s_handled == 0);
    CHECK(signal(SIGUSR1, count_handler) == SIG_IGN);

    errno = 0;
    CHECK(sigaction(SIGKILL, &action, NULL) == -1 && errno == EINVAL);
    errno = 0;
    CHECK(sigaction(0, &action, NULL) == -1 && errno == EINVAL);
    CHECK(signal(SIGSTOP, count_handler) == SIG_ERR);
}

static void test_masks(void)
{
    check_section("masks");
    sigset_t set;
    CHECK(sigemptyset(&set) == 0 && !sigismember(&set, SIGINT));
    CHECK(sigaddset(&set, SIGINT) == 0 && sigismember(&set, SIGINT) == 1 && !sigismember(&set, SIGQUIT));
    CHECK(sigdelset(&set, SIGINT) == 0 && !sigismember(&set, SIGINT));
    CHECK(sigfillset(&set) == 0 && sigismember(&set, SIGTERM) && sigismember(&set, 1));
    CHECK(sigaddset(&set, 0) == -1 && errno == EINVAL);
    CHECK(sigaddset(&set, 65) == -1 && errno == EINVAL);

    signal(SIGUSR1, count_handler);
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigset_t old;
    CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0 && !sigismember(&old, SIGUSR1));
    s_handled = 0;
    raise(SIGUSR1);
    CHECK(s_handled == 0);
    sigset_t pending;
    CHECK(sigpending(&pending) == 0 && sigismember(&pending, SIGUSR1));
    CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0); // unblocking delivers it
    CHECK(s_handled == 1);
    CHECK(sigpending(&pending) == 0 && !sigismember(&pending, SIGUSR1));
    sigset_t current;
    CHECK(sigprocmask(SIG_BLOCK, NULL, &current) == 0 && !sigismember(&current, SIGUSR1));
}

static void test_between_processes(void)
{
    check_section("between processes");
    signal(SIGUSR1, count_handler);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigset_t old;
    sigprocmask(SIG_BLOCK, &block, &old);
    fflush(stdout);
    s_handled = 0;
    pid_t child = fork();
    if (child == 0) {
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    // Wait for the signal without a race: sigsuspend unblocks and sleeps.
    sigset_t wait_mask = old;
    sigdelset(&wait_mask, SIGUSR1);
    while (!s_handled)
        sigsuspend(&wait_mask);
    CHECK(s_handled == 1 && s_last_signal == SIGUSR1);
    sigprocmask(SIG_SETMASK, &old, NULL);
    int status;
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status));
    CHECK(kill(child, 0) == -1 && errno == ESRCH);
    CHECK(kill(getpid(), 0) == 0);
}

static jmp_buf s_jump;
static sigjmp_buf s_signal_jump;
static volatile int s_depth;

static void jump_down(int depth)
{
    s_depth = depth;
    if (depth == 10)
        longjmp(s_jump, depth);
    jump_down(depth + 1);
}

static void jump_handler(int signal)
{
    siglongjmp(s_signal_jump, signal);
}

static void test_jumps(void)
{
    check_section("setjmp");
    volatile int passes = 0;
    int value = setjmp(s_jump);
    ++passes;
    if (value == 0)
        jump_down(1);
    CHECK(value == 10 && passes == 2 && s_depth == 10);

    passes = 0;
    value = setjmp(s_jump);
    ++passes;
    if (passes == 1)
        longjmp(s_jump, 0);
    CHECK(value == 1 && passes == 2); // longjmp(env, 0) returns 1

    // Out of a handler: sigsetjmp(env, 1) restores the mask, so the signal is
    // deliverable again afterwards.
    signal(SIGUSR2, jump_handler);
    value = sigsetjmp(s_signal_jump, 1);
    if (value == 0) {
        raise(SIGUSR2);
        CHECK(!"not reached");
    }
    CHECK(value == SIGUSR2);
    sigset_t current;
    sigprocmask(SIG_BLOCK, NULL, &current);
    CHECK(!sigismember(&current, SIGUSR2));
    value = sigsetjmp(s_signal_jump, 1);
    if (value == 0)
        raise(SIGUSR2);
    CHECK(value == SIGUSR2);
}

static void test_abort(void)
{
    check_section("abort");
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        signal(SIGABRT, count_handler); // a handler that returns cannot stop abort
        abort();
    }
    int status;
    CHECK(waitpid(child, &status, 0) == child && WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
}

int main(void)
{
    test_handlers();
    test_masks();
    test_between_processes();
    test_jumps();
    test_abort();
    return check_summary();
}
