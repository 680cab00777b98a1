// Restarting interrupted system calls (SA_RESTART), waiting for signals
// (sigsuspend, pause, sigtimedwait), the sender in siginfo and the
// alternate signal stack. Every line is a deterministic observation, the
// same on the host Linux and on Osprey (signal_waits_expected.txt): "ok
// <check>" or "FAIL <check>", then "signal waits: <n> failed". Output goes
// through write(2) so that fork never duplicates buffered text.
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int s_failures;

static void check(const char* what, int ok)
{
    char line[160];
    int length = snprintf(line, sizeof(line), "%s %s\n", ok ? "ok" : "FAIL", what);
    write(STDOUT_FILENO, line, (size_t)length);
    if (!ok)
        s_failures++;
}

static volatile sig_atomic_t s_count;
static volatile sig_atomic_t s_last_code;
static volatile pid_t s_last_pid;
static volatile uid_t s_last_uid;
static volatile int s_last_status;

static void recording_handler(int signal, siginfo_t* info, void* context)
{
    (void)signal;
    (void)context;
    s_count++;
    s_last_code = info->si_code;
    s_last_pid = info->si_pid;
    s_last_uid = info->si_uid;
    s_last_status = info->si_status;
}

static void install(int signal, int flags)
{
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_sigaction = recording_handler;
    action.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&action.sa_mask);
    sigaction(signal, &action, NULL);
}

static void set_default(int signal)
{
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = SIG_DFL;
    sigaction(signal, &action, NULL);
}

static void sleep_ms(long milliseconds)
{
    struct timespec delay = { milliseconds / 1000, (milliseconds % 1000) * 1000000L };
    while (nanosleep(&delay, &delay) == -1 && errno == EINTR)
        ;
}

static void wait_child(pid_t pid, int* status)
{
    while (waitpid(pid, status, 0) == -1 && errno == EINTR)
        ;
}

// A child that sends `count` SIGUSR1 to the parent, 50 ms apart, then
// writes one byte to `fd` (if >= 0) after another 100 ms and exits with 7.
static pid_t start_signaller(int count, int fd)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; i < count; i++) {
            sleep_ms(50);
            kill(parent, SIGUSR1);
        }
        sleep_ms(100);
        if (fd >= 0)
            write(fd, "z", 1);
        _exit(7);
    }
    return pid;
}

// A child that sends SIGUSR1 to the parent every 50 ms until it is
// stopped: one of the signals finds the parent blocked, however slowly it
// got there.
static pid_t start_repeating_signaller(void)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        for (;;) {
            sleep_ms(50);
            kill(parent, SIGUSR1);
        }
    }
    return pid;
}

static void stop_signaller(pid_t pid)
{
    kill(pid, SIGKILL);
    int status;
    wait_child(pid, &status);
}

static void test_restart(void)
{
    install(SIGUSR1, SA_RESTART);
    s_count = 0;
    int fds[2];
    pipe(fds);
    pid_t pid = start_signaller(4, fds[1]);
    char byte = 0;
    long got = read(fds[0], &byte, 1);
    check("SA_RESTART: pipe read restarted across 4 handlers", got == 1 && byte == 'z' && s_count == 4);
    check("si_pid is the sender, si_code SI_USER", s_last_pid == pid && s_last_code == SI_USER);
    check("si_uid is the sender's uid", s_last_uid == getuid());
    int status = 0;
    wait_child(pid, &status);
    close(fds[0]);
    close(fds[1]);

    s_count = 0;
    pid = start_signaller(4, -1);
    got = waitpid(pid, &status, 0);
    check("SA_RESTART: wait4 restarted across 4 handlers",
        got == pid && WIFEXITED(status) && WEXITSTATUS(status) == 7 && s_count == 4);

    s_count = 0;
    pid = start_repeating_signaller();
    struct timespec long_sleep = { 5, 0 };
    struct timespec left = { 0, 0 };
    errno = 0;
    got = nanosleep(&long_sleep, &left);
    int sleep_errno = errno;
    stop_signaller(pid);
    check("SA_RESTART: nanosleep still fails with EINTR", got == -1 && sleep_errno == EINTR && s_count >= 1);
    check("nanosleep reports the time left", left.tv_sec >= 1 && left.tv_sec <= 5);

    // Without SA_RESTART the read fails.
    install(SIGUSR1, 0);
    s_count = 0;
    pipe(fds);
    pid = start_repeating_signaller();
    errno = 0;
    got = read(fds[0], &byte, 1);
    int read_errno = errno;
    stop_signaller(pid);
    check("no SA_RESTART: pipe read EINTR", got == -1 && read_errno == EINTR && s_count >= 1);
    close(fds[0]);
    close(fds[1]);
    set_default(SIGUSR1);
}

// A stop and SIGCONT run no handler: a blocked read goes on as if nothing
// happened.
static void test_stop_restart(void)
{
    int ready[2], data[2];
    pipe(ready);
    pipe(data);
    pid_t pid = fork();
    if (pid == 0) {
        write(ready[1], "r", 1);
        char byte = 0;
        long got = read(data[0], &byte, 1);
        _exit(got == 1 && byte == 'q' ? 0 : 1);
    }
    char byte;
    read(ready[0], &byte, 1);
    sleep_ms(100);
    int status = 0;
    kill(pid, SIGSTOP);
    waitpid(pid, &status, WUNTRACED);
    check("reader stopped", WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
    kill(pid, SIGCONT);
    sleep_ms(100);
    write(data[1], "q", 1);
    wait_child(pid, &status);
    check("read continues after SIGSTOP and SIGCONT", WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(ready[0]);
    close(ready[1]);
    close(data[0]);
    close(data[1]);
}

static long long now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

// A stop and SIGCONT in the middle of nanosleep: it goes on to its full
// length and returns 0 (Linux's restart_syscall).
static void test_sleep_across_stop(void)
{
    int ready[2];
    pipe(ready);
    pid_t pid = fork();
    if (pid == 0) {
        long long start = now_ms();
        write(ready[1], "r", 1);
        struct timespec length = { 0, 400L * 1000 * 1000 };
        int result = nanosleep(&length, NULL);
        _exit(result == 0 && now_ms() - start >= 390 ? 0 : 1);
    }
    char byte;
    read(ready[0], &byte, 1);
    sleep_ms(100);
    int status = 0;
    kill(pid, SIGSTOP);
    waitpid(pid, &status, WUNTRACED);
    kill(pid, SIGCONT);
    wait_child(pid, &status);
    check("nanosleep goes on to its end after SIGSTOP and SIGCONT", WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(ready[0]);
    close(ready[1]);
}

static void test_suspend(void)
{
    install(SIGUSR1, 0);
    sigset_t block, old, empty, now;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    s_count = 0;
    pid_t pid = start_signaller(1, -1);
    sigemptyset(&empty);
    errno = 0;
    int got = sigsuspend(&empty);
    check("sigsuspend returns EINTR after the handler", got == -1 && errno == EINTR && s_count == 1);
    sigprocmask(SIG_BLOCK, NULL, &now);
    check("sigsuspend restores the mask", sigismember(&now, SIGUSR1) == 1);
    int status;
    wait_child(pid, &status);

    // A signal pending before the call is taken at once.
    s_count = 0;
    kill(getpid(), SIGUSR1);
    check("blocked signal waits", s_count == 0);
    errno = 0;
    got = sigsuspend(&empty);
    check("sigsuspend takes a pending signal", got == -1 && errno == EINTR && s_count == 1);
    sigprocmask(SIG_SETMASK, &old, NULL);

    s_count = 0;
    pid = start_repeating_signaller();
    errno = 0;
    got = pause();
    int pause_errno = errno;
    stop_signaller(pid);
    check("pause returns EINTR after the handler", got == -1 && pause_errno == EINTR && s_count >= 1);
    set_default(SIGUSR1);
}

static void test_timedwait(void)
{
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, &old);
    siginfo_t info;
    memset(&info, 0, sizeof(info));
    kill(getpid(), SIGUSR2);
    int got = sigtimedwait(&set, &info, NULL);
    check("sigtimedwait takes a pending signal", got == SIGUSR2 && info.si_signo == SIGUSR2);
    check("its siginfo: SI_USER, own pid and uid",
        info.si_code == SI_USER && info.si_pid == getpid() && info.si_uid == getuid());
    raise(SIGUSR2);
    memset(&info, 0, sizeof(info));
    got = sigwaitinfo(&set, &info);
    check("raise gives SI_TKILL", got == SIGUSR2 && info.si_code == SI_TKILL && info.si_pid == getpid());
    struct timespec zero = { 0, 0 };
    errno = 0;
    check("nothing pending, zero timeout: EAGAIN", sigtimedwait(&set, &info, &zero) == -1 && errno == EAGAIN);
    struct timespec short_wait = { 0, 100L * 1000 * 1000 };
    errno = 0;
    check("timeout: EAGAIN", sigtimedwait(&set, &info, &short_wait) == -1 && errno == EAGAIN);
    struct timespec bad = { 0, 2000000000L };
    errno = 0;
    check("bad timeout: EINVAL", sigtimedwait(&set, &info, &bad) == -1 && errno == EINVAL);

    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(50);
        kill(parent, SIGUSR2);
        _exit(0);
    }
    memset(&info, 0, sizeof(info));
    got = sigwaitinfo(&set, &info);
    check("sigwaitinfo waits for a child's signal", got == SIGUSR2 && info.si_pid == pid);
    int status;
    wait_child(pid, &status);

    kill(getpid(), SIGUSR2);
    int signal = 0;
    check("sigwait", sigwait(&set, &signal) == 0 && signal == SIGUSR2);
    sigset_t pending;
    sigpending(&pending);
    check("nothing left pending", sigismember(&pending, SIGUSR2) == 0);
    sigprocmask(SIG_SETMASK, &old, NULL);
}

static void test_child_info(void)
{
    install(SIGCHLD, 0);
    s_count = 0;
    pid_t pid = fork();
    if (pid == 0)
        _exit(5);
    int status;
    wait_child(pid, &status);
    getpid();
    check("SIGCHLD siginfo: CLD_EXITED, pid, status",
        s_count == 1 && s_last_code == CLD_EXITED && s_last_pid == pid && s_last_status == 5);
    s_count = 0;
    pid = fork();
    if (pid == 0) {
        for (;;)
            pause();
    }
    kill(pid, SIGTERM);
    wait_child(pid, &status);
    getpid();
    check("SIGCHLD siginfo: CLD_KILLED, signal", s_count == 1 && s_last_code == CLD_KILLED && s_last_status == SIGTERM);
    set_default(SIGCHLD);
}

static char s_alternate[16384] __attribute__((aligned(16)));
static volatile uintptr_t s_handler_local;
static volatile int s_handler_stack_flags;
static volatile int s_handler_change_errno;
static volatile int s_handler_changes_stack = 1;

static void stack_handler(int signal)
{
    (void)signal;
    volatile char local = 0;
    s_handler_local = (uintptr_t)&local;
    stack_t now;
    sigaltstack(NULL, &now);
    s_handler_stack_flags = now.ss_flags;
    if (!s_handler_changes_stack)
        return;
    stack_t other = { s_alternate, 0, sizeof(s_alternate) };
    errno = 0;
    s_handler_change_errno = sigaltstack(&other, NULL) == -1 ? errno : 0;
}

static int on_alternate(uintptr_t address)
{
    return address >= (uintptr_t)s_alternate && address < (uintptr_t)s_alternate + sizeof(s_alternate);
}

static void install_stack_handler(int flags)
{
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = stack_handler;
    action.sa_flags = flags;
    sigemptyset(&action.sa_mask);
    sigaction(SIGUSR1, &action, NULL);
}

static sigjmp_buf s_jump;

static void overflow_handler(int signal)
{
    siglongjmp(s_jump, signal);
}

static int recurse(int depth)
{
    volatile char buffer[4096];
    buffer[0] = (char)depth;
    return recurse(depth + 1) + buffer[0];
}

static void test_alternate_stack(void)
{
    stack_t old;
    check("no alternate stack at start", sigaltstack(NULL, &old) == 0 && old.ss_flags == SS_DISABLE);
    stack_t stack = { s_alternate, 0, sizeof(s_alternate) };
    check("sigaltstack set", sigaltstack(&stack, NULL) == 0);
    check("sigaltstack reads back",
        sigaltstack(NULL, &old) == 0 && old.ss_sp == s_alternate && old.ss_size == sizeof(s_alternate)
            && old.ss_flags == 0);
    stack_t small = { s_alternate, 0, 1024 };
    errno = 0;
    check("too small: ENOMEM", sigaltstack(&small, NULL) == -1 && errno == ENOMEM);
    stack_t bad = { s_alternate, 5, sizeof(s_alternate) };
    errno = 0;
    check("bad flags: EINVAL", sigaltstack(&bad, NULL) == -1 && errno == EINVAL);

    install_stack_handler(SA_ONSTACK);
    kill(getpid(), SIGUSR1);
    check("SA_ONSTACK handler runs on the alternate stack", on_alternate(s_handler_local));
    check("inside, sigaltstack says SS_ONSTACK", s_handler_stack_flags == SS_ONSTACK);
    check("changing it there: EPERM", s_handler_change_errno == EPERM);
    install_stack_handler(0);
    kill(getpid(), SIGUSR1);
    check("without SA_ONSTACK the handler stays on the stack", !on_alternate(s_handler_local));

    stack_t disarming = { s_alternate, SS_AUTODISARM, sizeof(s_alternate) };
    check("SS_AUTODISARM accepted", sigaltstack(&disarming, NULL) == 0);
    install_stack_handler(SA_ONSTACK);
    s_handler_changes_stack = 0;
    kill(getpid(), SIGUSR1);
    check("SS_AUTODISARM: disabled inside the handler",
        on_alternate(s_handler_local) && s_handler_stack_flags == SS_DISABLE);
    check("and back after sigreturn",
        sigaltstack(NULL, &old) == 0 && old.ss_sp == s_alternate && old.ss_flags == (int)SS_AUTODISARM);
    // A stack set inside the handler (possible once disarmed) stays: the
    // saved one is not put back over it, as the handler runs on it.
    s_handler_changes_stack = 1;
    kill(getpid(), SIGUSR1);
    check("a stack set by the handler stays",
        s_handler_change_errno == 0 && sigaltstack(NULL, &old) == 0 && old.ss_sp == s_alternate && old.ss_flags == 0);
    stack_t off = { NULL, SS_DISABLE, 0 };
    check("SS_DISABLE", sigaltstack(&off, NULL) == 0 && sigaltstack(NULL, &old) == 0 && old.ss_flags == SS_DISABLE);
    set_default(SIGUSR1);

    // A stack overflow is caught on the alternate stack (in a child: the
    // main stack is used up).
    pid_t pid = fork();
    if (pid == 0) {
        stack_t child_stack = { s_alternate, 0, sizeof(s_alternate) };
        sigaltstack(&child_stack, NULL);
        struct sigaction action;
        memset(&action, 0, sizeof(action));
        action.sa_handler = overflow_handler;
        action.sa_flags = SA_ONSTACK;
        sigaction(SIGSEGV, &action, NULL);
        if (sigsetjmp(s_jump, 1) == 0)
            recurse(0);
        _exit(42);
    }
    int status;
    wait_child(pid, &status);
    check("stack overflow caught by an SA_ONSTACK handler", WIFEXITED(status) && WEXITSTATUS(status) == 42);

    pid = fork();
    if (pid == 0) {
        struct sigaction action;
        memset(&action, 0, sizeof(action));
        action.sa_handler = overflow_handler;
        sigaction(SIGSEGV, &action, NULL);
        if (sigsetjmp(s_jump, 1) == 0)
            recurse(0);
        _exit(42);
    }
    wait_child(pid, &status);
    check("without an alternate stack the overflow kills", WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
}

int main(void)
{
    test_restart();
    test_stop_restart();
    test_sleep_across_stop();
    test_suspend();
    test_timedwait();
    test_child_info();
    test_alternate_stack();
    char line[40];
    int length = snprintf(line, sizeof(line), "signal waits: %d failed\n", s_failures);
    write(STDOUT_FILENO, line, (size_t)length);
    return s_failures ? 1 : 0;
}
