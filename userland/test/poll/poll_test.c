// Readiness calls (poll, ppoll, select, pselect, epoll) on pipes, regular
// files, directories, /dev/null and epoll instances. Every line printed is
// a deterministic observation: a return value (with the errno name on
// failure), a revents/events mask by name, or a yes/no about timing with
// wide margins. The same binary runs on the host Linux and on Osprey;
// expected.txt is the host's transcript. Output goes through write(2) so
// fork never duplicates buffered text.
#ifndef _GNU_SOURCE
#    define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void say(const char* format, ...)
{
    char line[256];
    va_list arguments;
    va_start(arguments, format);
    int length = vsnprintf(line, sizeof(line), format, arguments);
    va_end(arguments);
    write(STDOUT_FILENO, line, (size_t)length);
}

static const char* errno_name(int error)
{
    switch (error) {
    case EPERM:
        return "EPERM";
    case ENOENT:
        return "ENOENT";
    case EINTR:
        return "EINTR";
    case EBADF:
        return "EBADF";
    case EAGAIN:
        return "EAGAIN";
    case ENOMEM:
        return "ENOMEM";
    case EFAULT:
        return "EFAULT";
    case EEXIST:
        return "EEXIST";
    case EINVAL:
        return "EINVAL";
    case EPIPE:
        return "EPIPE";
    case ELOOP:
        return "ELOOP";
    case ENOSYS:
        return "ENOSYS";
    default:
        return "E?";
    }
}

// "name = value" or "name = -1 ENAME".
static void result(const char* name, long value)
{
    if (value < 0)
        say("%s = %ld %s\n", name, value, errno_name(errno));
    else
        say("%s = %ld\n", name, value);
}

static const char* mask_name(unsigned mask)
{
    static char text[160];
    static const struct {
        unsigned bit;
        const char* name;
    } names[] = {
        { POLLIN, "IN" },
        { POLLPRI, "PRI" },
        { POLLOUT, "OUT" },
        { POLLERR, "ERR" },
        { POLLHUP, "HUP" },
        { POLLNVAL, "NVAL" },
        { POLLRDNORM, "RDNORM" },
        { POLLRDBAND, "RDBAND" },
        { POLLWRNORM, "WRNORM" },
        { POLLWRBAND, "WRBAND" },
        { 0x400, "MSG" },
        { POLLRDHUP, "RDHUP" },
    };
    text[0] = 0;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); ++i) {
        if (mask & names[i].bit) {
            if (text[0])
                strcat(text, "|");
            strcat(text, names[i].name);
            mask &= ~names[i].bit;
        }
    }
    if (mask) {
        char rest[24];
        snprintf(rest, sizeof(rest), "%s0x%x", text[0] ? "|" : "", mask);
        strcat(text, rest);
    }
    if (!text[0])
        strcpy(text, "0");
    return text;
}

#define ALL_EVENTS (POLLIN | POLLPRI | POLLOUT | POLLRDNORM | POLLRDBAND | POLLWRNORM | POLLWRBAND | POLLRDHUP)

// poll of one fd with `events`, timeout 0: "label: poll = n revents = MASK".
static void poll_one(const char* label, int fd, short events)
{
    struct pollfd entry = { fd, events, 0x7fff };
    int count = poll(&entry, 1, 0);
    if (count < 0)
        say("%s: poll = -1 %s\n", label, errno_name(errno));
    else
        say("%s: poll = %d revents = %s\n", label, count, mask_name((unsigned short)entry.revents));
}

static long elapsed_ms(const struct timespec* start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

static void now(struct timespec* time)
{
    clock_gettime(CLOCK_MONOTONIC, time);
}

static void sleep_ms(long milliseconds)
{
    struct timespec duration = { milliseconds / 1000, (milliseconds % 1000) * 1000000 };
    while (nanosleep(&duration, &duration) < 0 && errno == EINTR) { }
}

// A child that sleeps, then writes one byte to `fd`, then exits.
static pid_t write_later(int fd, long milliseconds)
{
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(milliseconds);
        write(fd, "w", 1);
        _exit(0);
    }
    return child;
}

// A child that sleeps, then sends `signal` to the parent.
static pid_t signal_later(int signal, long milliseconds)
{
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(milliseconds);
        kill(parent, signal);
        _exit(0);
    }
    return child;
}

static void reap(pid_t child)
{
    int status;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) { }
}

static volatile sig_atomic_t s_handled;
static volatile sig_atomic_t s_usr2_blocked_in_handler;

static void on_signal(int signal)
{
    (void)signal;
    s_handled++;
    sigset_t current;
    sigprocmask(SIG_SETMASK, NULL, &current);
    s_usr2_blocked_in_handler = sigismember(&current, SIGUSR2);
}

static void install_handler(int signal)
{
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(signal, &action, NULL);
}

static int blocked(int signal)
{
    sigset_t current;
    sigprocmask(SIG_SETMASK, NULL, &current);
    return sigismember(&current, signal);
}

static void drain(int fd)
{
    char buffer[4096];
    int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    while (read(fd, buffer, sizeof(buffer)) > 0) { }
    fcntl(fd, F_SETFL, flags);
}

static void test_poll_pipes(void)
{
    say("== poll: pipes\n");
    int fds[2];
    pipe(fds);
    poll_one("empty read end", fds[0], ALL_EVENTS);
    poll_one("empty write end", fds[1], ALL_EVENTS);
    poll_one("write end, events 0", fds[1], 0);
    write(fds[1], "abc", 3);
    poll_one("read end with data", fds[0], ALL_EVENTS);
    poll_one("read end with data, POLLOUT only", fds[0], POLLOUT);
    poll_one("read end with data, POLLRDNORM only", fds[0], POLLRDNORM);

    // Fill it: no more POLLOUT; room for a page brings it back.
    fcntl(fds[1], F_SETFL, O_NONBLOCK);
    char page[4096];
    memset(page, 'p', sizeof(page));
    drain(fds[0]);
    while (write(fds[1], page, sizeof(page)) > 0) { }
    poll_one("full write end", fds[1], ALL_EVENTS);
    char byte;
    read(fds[0], &byte, 1);
    poll_one("full less one byte", fds[1], ALL_EVENTS);
    read(fds[0], page, sizeof(page) - 1);
    read(fds[0], page, 1);
    poll_one("full less a page", fds[1], ALL_EVENTS);
    drain(fds[0]);

    write(fds[1], "z", 1);
    close(fds[1]);
    poll_one("data, writer gone", fds[0], ALL_EVENTS);
    poll_one("data, writer gone, events 0", fds[0], 0);
    drain(fds[0]);
    poll_one("empty, writer gone", fds[0], ALL_EVENTS);
    close(fds[0]);

    pipe(fds);
    close(fds[0]);
    poll_one("write end, reader gone", fds[1], ALL_EVENTS);
    poll_one("write end, reader gone, events 0", fds[1], 0);
    close(fds[1]);
}

static void test_poll_files(void)
{
    say("== poll: files\n");
    int file = open("/tmp/poll_test.file", O_CREAT | O_RDWR | O_TRUNC, 0600);
    poll_one("regular file", file, ALL_EVENTS);
    poll_one("regular file, events 0", file, 0);
    poll_one("regular file, POLLPRI", file, POLLPRI);
    int read_only = open("/tmp/poll_test.file", O_RDONLY);
    poll_one("regular file read-only", read_only, ALL_EVENTS);
    close(read_only);
    close(file);
    unlink("/tmp/poll_test.file");
    int directory = open("/tmp", O_RDONLY | O_DIRECTORY);
    poll_one("directory", directory, ALL_EVENTS);
    close(directory);
    int null = open("/dev/null", O_RDWR);
    poll_one("/dev/null", null, ALL_EVENTS);
    close(null);
}

static void test_poll_rules(void)
{
    say("== poll: rules\n");
    int fds[2];
    pipe(fds);
    write(fds[1], "x", 1);
    struct pollfd entries[4] = {
        { fds[0], POLLIN, 0x7fff },
        { -1, POLLIN, 0x7fff },
        { 999, POLLIN, 0x7fff },
        { fds[1], POLLOUT, 0x7fff },
    };
    int count = poll(entries, 4, 0);
    say("mixed: poll = %d", count);
    for (int i = 0; i < 4; ++i)
        say(" [%d]=%s", i, mask_name((unsigned short)entries[i].revents));
    say("\n");
    close(999);
    result("poll(NULL, 0, 0)", poll(NULL, 0, 0));
    result("poll(bad pointer, 1, 0)", poll((struct pollfd*)8, 1, 0));
    result("poll(NULL, 1025, 0) over RLIMIT_NOFILE 1024", poll(NULL, 1025, 0));
    result("poll(NULL, 1024, 0) at the limit", poll(NULL, 1024, 0));
    result("poll(kernel address, 1, 0)", poll((struct pollfd*)0xffff800000000000ul, 1, 0));
    struct pollfd empty = { fds[0], POLLIN, 0 };
    drain(fds[0]);
    struct timespec start;
    now(&start);
    int waited = poll(&empty, 1, 100);
    long elapsed = elapsed_ms(&start);
    say("timeout 100 ms: poll = %d revents = %s, waited >= 90 ms: %s\n", waited,
        mask_name((unsigned short)empty.revents), elapsed >= 90 ? "yes" : "no");

    pid_t child = write_later(fds[1], 100);
    now(&start);
    empty.revents = 0;
    waited = poll(&empty, 1, -1);
    elapsed = elapsed_ms(&start);
    say("woken by a writer: poll = %d revents = %s, waited >= 50 ms: %s\n", waited,
        mask_name((unsigned short)empty.revents), elapsed >= 50 ? "yes" : "no");
    reap(child);
    drain(fds[0]);

    // The same description twice, and the same pipe's two ends.
    struct pollfd both[3] = { { fds[0], POLLIN, 0 }, { fds[0], POLLIN, 0 }, { fds[1], POLLOUT, 0 } };
    child = write_later(fds[1], 50);
    waited = poll(both, 2, 5000);
    say("same fd twice: poll = %d [0]=%s", waited, mask_name((unsigned short)both[0].revents));
    say(" [1]=%s\n", mask_name((unsigned short)both[1].revents));
    reap(child);
    close(fds[0]);
    close(fds[1]);
}

static void test_poll_signals(void)
{
    say("== poll: signals\n");
    int fds[2];
    pipe(fds);
    install_handler(SIGUSR1);
    install_handler(SIGUSR2);
    struct pollfd entry = { fds[0], POLLIN, 0 };

    s_handled = 0;
    pid_t child = signal_later(SIGUSR1, 50);
    int count = poll(&entry, 1, 10000);
    result("poll interrupted by a handled signal", count);
    say("handler ran: %d\n", s_handled);
    reap(child);

    // ppoll: SIGUSR1 blocked by the caller, pending; the temporary mask
    // unblocks it and blocks SIGUSR2 during the handler.
    sigset_t block, temporary;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    s_handled = 0;
    raise(SIGUSR1);
    say("pending and blocked, handled: %d\n", s_handled);
    sigemptyset(&temporary);
    sigaddset(&temporary, SIGUSR2);
    struct timespec timeout = { 5, 0 };
    count = ppoll(&entry, 1, &timeout, &temporary);
    result("ppoll with SIGUSR1 unblocked by the mask", count);
    say("handler ran: %d, SIGUSR2 blocked in handler: %d, SIGUSR1 blocked after: %d, SIGUSR2 blocked after: %d\n",
        s_handled, s_usr2_blocked_in_handler, blocked(SIGUSR1), blocked(SIGUSR2));

    // A ready fd wins over a pending signal; the caller's mask comes back
    // at once, and the signal stays pending.
    write(fds[1], "x", 1);
    s_handled = 0;
    raise(SIGUSR1);
    timeout.tv_sec = 5;
    count = ppoll(&entry, 1, &timeout, &temporary);
    result("ppoll with a ready fd and a pending signal", count);
    say("handler ran: %d, SIGUSR1 blocked after: %d\n", s_handled, blocked(SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    say("after unblocking, handler ran: %d\n", s_handled);
    drain(fds[0]);

    // Timeouts are written back.
    timeout.tv_sec = 0;
    timeout.tv_nsec = 50 * 1000000L;
    count = ppoll(&entry, 1, &timeout, NULL);
    say("ppoll 50 ms timeout: %d, left %ld.%09ld\n", count, (long)timeout.tv_sec, timeout.tv_nsec);
    write(fds[1], "x", 1);
    timeout.tv_sec = 5;
    timeout.tv_nsec = 0;
    count = ppoll(&entry, 1, &timeout, NULL);
    say("ppoll ready at once: %d, time left between 4 and 5 s: %s\n", count,
        timeout.tv_sec == 4 || (timeout.tv_sec == 5 && timeout.tv_nsec == 0) ? "yes" : "no");
    timeout.tv_sec = 0;
    timeout.tv_nsec = 1000000000;
    result("ppoll nanoseconds 1e9", ppoll(&entry, 1, &timeout, NULL));
    timeout.tv_sec = -1;
    timeout.tv_nsec = 0;
    result("ppoll negative seconds", ppoll(&entry, 1, &timeout, NULL));
    uint64_t raw_mask = 0;
    // The system call itself writes the time left back (the wrappers pass copies).
    drain(fds[0]);
    timeout.tv_sec = 0;
    timeout.tv_nsec = 50 * 1000000L;
    count = (int)syscall(SYS_ppoll, &entry, 1, &timeout, NULL, 8);
    say("raw ppoll 50 ms timeout: %d, left %ld.%09ld\n", count, (long)timeout.tv_sec, timeout.tv_nsec);
    write(fds[1], "x", 1);
    timeout.tv_sec = 5;
    timeout.tv_nsec = 0;
    count = (int)syscall(SYS_ppoll, &entry, 1, &timeout, NULL, 8);
    say("raw ppoll ready at once: %d, time left below 5 s and above 4 s: %s\n", count,
        timeout.tv_sec == 4 ? "yes" : "no");
    result("ppoll sigsetsize 4", syscall(SYS_ppoll, &entry, 1, NULL, &raw_mask, 4));
    result("ppoll sigsetsize 4 without a mask", syscall(SYS_ppoll, &entry, 1, NULL, NULL, 4));
    drain(fds[0]);
    close(fds[0]);
    close(fds[1]);
}

static void show_set(const char* label, int result_value, const fd_set* set, int limit)
{
    say("%s: select = %d set = {", label, result_value);
    const char* separator = "";
    for (int fd = 0; fd < limit; ++fd) {
        if (FD_ISSET(fd, set)) {
            say("%s%d", separator, fd);
            separator = ",";
        }
    }
    say("}\n");
}

static void test_select(void)
{
    say("== select\n");
    int fds[2];
    pipe(fds);
    int null = open("/dev/null", O_RDWR);
    say("fds: read %d write %d null %d\n", fds[0], fds[1], null);
    int limit = null + 1;
    fd_set read_set, write_set, except_set;
    struct timeval zero = { 0, 0 };

    FD_ZERO(&read_set);
    FD_SET(fds[0], &read_set);
    FD_SET(null, &read_set);
    int count = select(limit, &read_set, NULL, NULL, &zero);
    show_set("read: empty pipe, /dev/null", count, &read_set, limit);

    FD_ZERO(&write_set);
    FD_SET(fds[1], &write_set);
    FD_SET(null, &write_set);
    count = select(limit, NULL, &write_set, NULL, &zero);
    show_set("write: pipe, /dev/null", count, &write_set, limit);

    FD_ZERO(&except_set);
    FD_SET(fds[0], &except_set);
    FD_SET(fds[1], &except_set);
    FD_SET(null, &except_set);
    count = select(limit, NULL, NULL, &except_set, &zero);
    show_set("except: pipe ends, /dev/null", count, &except_set, limit);

    write(fds[1], "x", 1);
    FD_ZERO(&read_set);
    FD_ZERO(&write_set);
    FD_SET(fds[0], &read_set);
    FD_SET(fds[1], &read_set);
    FD_SET(fds[0], &write_set);
    FD_SET(fds[1], &write_set);
    count = select(limit, &read_set, &write_set, NULL, &zero);
    show_set("both ends in both sets: read", count, &read_set, limit);
    show_set("both ends in both sets: write", count, &write_set, limit);
    drain(fds[0]);

    FD_ZERO(&read_set);
    FD_SET(fds[0], &read_set);
    count = select(fds[0], &read_set, NULL, NULL, &zero);
    show_set("nfds excludes the fd", count, &read_set, limit);

    FD_ZERO(&read_set);
    FD_SET(fds[0], &read_set);
    FD_SET(limit + 3, &read_set);
    count = select(limit + 4, &read_set, NULL, NULL, &zero);
    result("closed fd in the set", count);
    result("nfds -1", select(-1, NULL, NULL, NULL, &zero));
    struct timeval bad = { 0, 1000000 };
    result("tv_usec 1000000 (carried into seconds)", select(limit, NULL, NULL, NULL, &bad));
    bad.tv_usec = -1;
    result("tv_usec -1", select(limit, NULL, NULL, NULL, &bad));
    bad.tv_sec = -1;
    bad.tv_usec = 0;
    result("tv_sec -1", select(limit, NULL, NULL, NULL, &bad));
    result("bad set pointer", select(limit, (fd_set*)8, NULL, NULL, &zero));
    result("nfds far past every fd, no sets", select(1 << 20, NULL, NULL, NULL, &zero));
    result("bad timeout pointer (raw)", syscall(SYS_select, limit, NULL, NULL, NULL, (struct timeval*)8));

    struct timeval timeout = { 0, 50000 };
    FD_ZERO(&read_set);
    FD_SET(fds[0], &read_set);
    count = select(limit, &read_set, NULL, NULL, &timeout);
    show_set("50 ms timeout", count, &read_set, limit);
    say("timeout left: %ld.%06ld\n", (long)timeout.tv_sec, (long)timeout.tv_usec);
    timeout.tv_sec = 5;
    timeout.tv_usec = 0;
    FD_ZERO(&write_set);
    FD_SET(fds[1], &write_set);
    count = select(limit, NULL, &write_set, NULL, &timeout);
    say("ready at once: %d, time left between 4 and 5 s: %s\n", count,
        timeout.tv_sec == 4 || (timeout.tv_sec == 5 && timeout.tv_usec == 0) ? "yes" : "no");

    pid_t child = write_later(fds[1], 100);
    FD_ZERO(&read_set);
    FD_SET(fds[0], &read_set);
    count = select(limit, &read_set, NULL, NULL, NULL);
    show_set("woken by a writer", count, &read_set, limit);
    reap(child);
    drain(fds[0]);

    // pselect: the mask, EINTR (sets untouched) and the const timeout.
    install_handler(SIGUSR1);
    sigset_t block, temporary;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    s_handled = 0;
    child = signal_later(SIGUSR1, 50);
    sleep_ms(150);
    say("pending and blocked, handled: %d\n", s_handled);
    sigemptyset(&temporary);
    FD_ZERO(&read_set);
    FD_SET(fds[0], &read_set);
    struct timespec wait = { 5, 0 };
    count = pselect(limit, &read_set, NULL, NULL, &wait, &temporary);
    result("pselect with SIGUSR1 unblocked by the mask", count);
    show_set("pselect EINTR leaves the set", count, &read_set, limit);
    say("handler ran: %d, SIGUSR1 blocked after: %d, timeout untouched: %s\n", s_handled, blocked(SIGUSR1),
        wait.tv_sec == 5 && wait.tv_nsec == 0 ? "yes" : "no");
    struct timespec raw_wait = { 0, 50 * 1000000L };
    FD_ZERO(&read_set);
    FD_SET(fds[0], &read_set);
    count = (int)syscall(SYS_pselect6, limit, &read_set, NULL, NULL, &raw_wait, NULL);
    say("raw pselect6 50 ms timeout: %d, left %ld.%09ld\n", count, (long)raw_wait.tv_sec, raw_wait.tv_nsec);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    reap(child);

    close(null);
    close(fds[0]);
    close(fds[1]);
}

static void epoll_add(const char* label, int epoll_fd, int fd, unsigned events, uint64_t data)
{
    struct epoll_event event;
    memset(&event, 0, sizeof(event));
    event.events = events;
    event.data.u64 = data;
    result(label, epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event));
}

static void epoll_show(const char* label, int epoll_fd, int max_events, int timeout)
{
    struct epoll_event events[8];
    memset(events, 0, sizeof(events));
    int count = epoll_wait(epoll_fd, events, max_events, timeout);
    if (count < 0) {
        say("%s: epoll_wait = -1 %s\n", label, errno_name(errno));
        return;
    }
    say("%s: epoll_wait = %d", label, count);
    for (int i = 0; i < count; ++i)
        say(" {%s data=%llu}", mask_name(events[i].events), (unsigned long long)events[i].data.u64);
    say("\n");
}

static void test_epoll_errors(void)
{
    say("== epoll: errors\n");
    result("epoll_create(0)", epoll_create(0));
    result("epoll_create(-1)", epoll_create(-1));
    int epoll_fd = epoll_create(1);
    say("epoll_create(1) gives an fd: %s\n", epoll_fd >= 0 ? "yes" : "no");
    say("F_GETFD = %d, F_GETFL & O_ACCMODE = %d\n", fcntl(epoll_fd, F_GETFD), fcntl(epoll_fd, F_GETFL) & O_ACCMODE);
    close(epoll_fd);
    result("epoll_create1(1)", epoll_create1(1));
    result("epoll_create1(O_NONBLOCK)", epoll_create1(O_NONBLOCK));
    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    say("epoll_create1(EPOLL_CLOEXEC): F_GETFD = %d\n", fcntl(epoll_fd, F_GETFD));

    int fds[2];
    pipe(fds);
    int file = open("/tmp/poll_test.file", O_CREAT | O_RDWR | O_TRUNC, 0600);
    int directory = open("/tmp", O_RDONLY | O_DIRECTORY);
    int null = open("/dev/null", O_RDWR);
    struct epoll_event event = { EPOLLIN, { .u64 = 1 } };
    result("ADD regular file", epoll_ctl(epoll_fd, EPOLL_CTL_ADD, file, &event));
    result("ADD directory", epoll_ctl(epoll_fd, EPOLL_CTL_ADD, directory, &event));
    result("ADD /dev/null", epoll_ctl(epoll_fd, EPOLL_CTL_ADD, null, &event));
    result("ADD itself", epoll_ctl(epoll_fd, EPOLL_CTL_ADD, epoll_fd, &event));
    result("ADD into a pipe", epoll_ctl(fds[0], EPOLL_CTL_ADD, fds[1], &event));
    result("ADD into a regular file", epoll_ctl(file, EPOLL_CTL_ADD, fds[0], &event));
    result("ADD bad fd", epoll_ctl(epoll_fd, EPOLL_CTL_ADD, 999, &event));
    result("ADD into bad epfd", epoll_ctl(999, EPOLL_CTL_ADD, fds[0], &event));
    result("ADD bad event pointer", epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fds[0], (struct epoll_event*)8));
    result("ADD pipe", epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fds[0], &event));
    result("ADD pipe again", epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fds[0], &event));
    result("MOD unknown fd", epoll_ctl(epoll_fd, EPOLL_CTL_MOD, fds[1], &event));
    result("DEL unknown fd", epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fds[1], NULL));
    result("unknown op 99", epoll_ctl(epoll_fd, 99, fds[0], &event));
    event.events = EPOLLIN | EPOLLEXCLUSIVE;
    result("MOD with EPOLLEXCLUSIVE", epoll_ctl(epoll_fd, EPOLL_CTL_MOD, fds[0], &event));
    event.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
    result("ADD EPOLLEXCLUSIVE|EPOLLONESHOT", epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fds[1], &event));
    result("DEL pipe (NULL event)", epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fds[0], NULL));
    result("DEL pipe again", epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fds[0], NULL));

    struct epoll_event events[2];
    result("epoll_wait maxevents 0", epoll_wait(epoll_fd, events, 0, 0));
    result("epoll_wait maxevents -1", epoll_wait(epoll_fd, events, -1, 0));
    result("epoll_wait on a pipe", epoll_wait(fds[0], events, 2, 0));
    result("epoll_wait bad epfd", epoll_wait(999, events, 2, 0));
    result("epoll_wait nothing ready", epoll_wait(epoll_fd, events, 2, 0));
    result("epoll_wait kernel address", epoll_wait(epoll_fd, (struct epoll_event*)0xffff800000000000ul, 2, 0));
    event.events = EPOLLOUT;
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fds[1], &event);
    result("epoll_wait bad pointer with an event ready", epoll_wait(epoll_fd, (struct epoll_event*)8, 2, 0));
    result("epoll_wait after the failed copy", epoll_wait(epoll_fd, events, 2, 0));
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fds[1], NULL);
    char byte;
    result("read from an epoll fd", read(epoll_fd, &byte, 1));
    result("write to an epoll fd", write(epoll_fd, "x", 1));

    close(null);
    close(directory);
    close(file);
    unlink("/tmp/poll_test.file");
    close(fds[0]);
    close(fds[1]);
    close(epoll_fd);
}

static void test_epoll_triggers(void)
{
    say("== epoll: level, edge, one-shot\n");
    int epoll_fd = epoll_create1(0);
    int level[2], edge[2], once[2];
    pipe(level);
    pipe(edge);
    pipe(once);
    epoll_add("ADD level", epoll_fd, level[0], EPOLLIN, 10);
    epoll_add("ADD edge", epoll_fd, edge[0], EPOLLIN | EPOLLET, 20);
    epoll_add("ADD oneshot", epoll_fd, once[0], EPOLLIN | EPOLLONESHOT, 30);
    epoll_show("nothing written", epoll_fd, 8, 0);
    write(level[1], "a", 1);
    epoll_show("level written", epoll_fd, 8, 0);
    epoll_show("level again", epoll_fd, 8, 0);
    write(edge[1], "b", 1);
    epoll_show("edge written", epoll_fd, 8, 0);
    epoll_show("edge again (level still there)", epoll_fd, 8, 0);
    write(edge[1], "b", 1);
    epoll_show("edge written more", epoll_fd, 8, 0);
    write(once[1], "c", 1);
    epoll_show("oneshot written", epoll_fd, 8, 0);
    epoll_show("oneshot again", epoll_fd, 8, 0);
    write(once[1], "c", 1);
    epoll_show("oneshot written more", epoll_fd, 8, 0);
    struct epoll_event event = { EPOLLIN | EPOLLONESHOT, { .u64 = 31 } };
    result("MOD oneshot re-arm", epoll_ctl(epoll_fd, EPOLL_CTL_MOD, once[0], &event));
    epoll_show("oneshot re-armed", epoll_fd, 8, 0);
    drain(level[0]);
    epoll_show("level drained", epoll_fd, 8, 0);

    // maxevents 1 takes the ready entries in turn.
    write(level[1], "a", 1);
    write(edge[1], "b", 1);
    epoll_show("maxevents 1 (1)", epoll_fd, 1, 0);
    epoll_show("maxevents 1 (2)", epoll_fd, 1, 0);
    epoll_show("maxevents 1 (3)", epoll_fd, 1, 0);

    // Hang-ups and errors are reported though not asked for.
    drain(level[0]);
    drain(edge[0]);
    event.events = 0;
    event.data.u64 = 11;
    result("MOD level to events 0", epoll_ctl(epoll_fd, EPOLL_CTL_MOD, level[0], &event));
    epoll_show("events 0, writer open", epoll_fd, 8, 0);
    close(level[1]);
    epoll_show("events 0, writer closed", epoll_fd, 8, 0);
    int write_only[2];
    pipe(write_only);
    epoll_add("ADD write end", epoll_fd, write_only[1], EPOLLOUT | EPOLLRDHUP, 40);
    epoll_show("write end", epoll_fd, 8, 0);
    close(write_only[0]);
    epoll_show("write end, reader closed", epoll_fd, 8, 0);

    close(write_only[1]);
    close(level[0]);
    close(edge[0]);
    close(edge[1]);
    close(once[0]);
    close(once[1]);
    close(epoll_fd);
}

static void test_epoll_lifetime(void)
{
    say("== epoll: closing watched fds\n");
    int epoll_fd = epoll_create1(0);
    int fds[2];
    pipe(fds);
    epoll_add("ADD read end", epoll_fd, fds[0], EPOLLIN, 7);
    int copy = dup(fds[0]);
    close(fds[0]);
    write(fds[1], "x", 1);
    epoll_show("original fd closed, dup open", epoll_fd, 8, 0);
    result("DEL by the closed fd number", epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fds[0], NULL));
    close(copy);
    epoll_show("every fd closed", epoll_fd, 8, 0);
    int again[2];
    pipe(again);
    say("same fd numbers reused: %s\n", again[0] == fds[0] || again[1] == fds[0] ? "yes" : "no");
    write(again[1], "y", 1);
    epoll_show("new pipe not watched", epoll_fd, 8, 0);
    close(again[0]);
    close(again[1]);
    close(fds[1]);

    // An entry survives in a forked child's copy of the fds.
    pipe(fds);
    epoll_add("ADD before fork", epoll_fd, fds[0], EPOLLIN, 8);
    pid_t child = fork();
    if (child == 0) {
        write(fds[1], "c", 1);
        struct epoll_event event;
        int count = epoll_wait(epoll_fd, &event, 1, 5000);
        _exit(count == 1 && event.data.u64 == 8 ? 0 : 1);
    }
    int status;
    waitpid(child, &status, 0);
    say("child saw the parent's entry: %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "yes" : "no");
    epoll_show("parent sees it too", epoll_fd, 8, 0);
    close(fds[0]);
    close(fds[1]);
    close(epoll_fd);
}

static void test_epoll_nesting(void)
{
    say("== epoll: nesting and polling epoll fds\n");
    int inner = epoll_create1(0);
    int outer = epoll_create1(0);
    int fds[2];
    pipe(fds);
    epoll_add("ADD pipe to inner", inner, fds[0], EPOLLIN, 1);
    epoll_add("ADD inner to outer", outer, inner, EPOLLIN, 2);
    epoll_add("ADD outer to inner", inner, outer, EPOLLIN, 3);
    poll_one("inner, nothing ready", inner, ALL_EVENTS);
    epoll_show("outer, nothing ready", outer, 8, 0);
    write(fds[1], "x", 1);
    poll_one("inner, pipe ready", inner, ALL_EVENTS);
    poll_one("outer, pipe ready", outer, ALL_EVENTS);
    epoll_show("outer, pipe ready", outer, 8, 0);
    epoll_show("inner, pipe ready", inner, 8, 0);
    drain(fds[0]);
    poll_one("inner, drained", inner, ALL_EVENTS);
    epoll_show("outer, drained", outer, 8, 0);

    fd_set read_set;
    FD_ZERO(&read_set);
    FD_SET(inner, &read_set);
    struct timeval zero = { 0, 0 };
    result("select on an idle epoll fd", select(inner + 1, &read_set, NULL, NULL, &zero));
    pid_t child = write_later(fds[1], 100);
    FD_ZERO(&read_set);
    FD_SET(inner, &read_set);
    result("select on an epoll fd, woken by a writer", select(inner + 1, &read_set, NULL, NULL, NULL));
    reap(child);
    drain(fds[0]);
    child = write_later(fds[1], 100);
    epoll_show("outer waits for the pipe through inner", outer, 8, 5000);
    reap(child);
    drain(fds[0]);

    // How deep instances may nest.
    int chain[8];
    for (int i = 0; i < 8; ++i)
        chain[i] = epoll_create1(0);
    for (int i = 0; i + 1 < 8; ++i) {
        char label[48];
        snprintf(label, sizeof(label), "chain: ADD %d into %d", i, i + 1);
        epoll_add(label, chain[i + 1], chain[i], EPOLLIN, (uint64_t)i);
    }
    for (int i = 0; i < 8; ++i)
        close(chain[i]);
    close(fds[0]);
    close(fds[1]);
    close(inner);
    close(outer);
}

static void test_epoll_waiting(void)
{
    say("== epoll: waiting\n");
    int epoll_fd = epoll_create1(0);
    int fds[2];
    pipe(fds);
    epoll_add("ADD", epoll_fd, fds[0], EPOLLIN, 5);
    struct timespec start;
    now(&start);
    epoll_show("timeout 100 ms", epoll_fd, 8, 100);
    say("waited >= 90 ms: %s\n", elapsed_ms(&start) >= 90 ? "yes" : "no");
    pid_t child = write_later(fds[1], 100);
    epoll_show("woken by a writer", epoll_fd, 8, -1);
    reap(child);
    drain(fds[0]);

    install_handler(SIGUSR1);
    s_handled = 0;
    child = signal_later(SIGUSR1, 50);
    epoll_show("interrupted by a handled signal", epoll_fd, 8, 10000);
    say("handler ran: %d\n", s_handled);
    reap(child);

    sigset_t block, temporary;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    s_handled = 0;
    raise(SIGUSR1);
    sigemptyset(&temporary);
    struct epoll_event event;
    result("epoll_pwait with SIGUSR1 unblocked by the mask", epoll_pwait(epoll_fd, &event, 1, 5000, &temporary));
    say("handler ran: %d, SIGUSR1 blocked after: %d\n", s_handled, blocked(SIGUSR1));
    result("epoll_pwait sigsetsize 4", syscall(SYS_epoll_pwait, epoll_fd, &event, 1, 0, &block, 4));
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    close(fds[0]);
    close(fds[1]);
    close(epoll_fd);
}

int main(void)
{
    // The same fd limit on every system (Osprey's default).
    struct {
        unsigned long current, maximum;
    } limit;
    if (syscall(SYS_getrlimit, 7, &limit) == 0 && limit.current != 1024) {
        limit.current = 1024;
        syscall(SYS_setrlimit, 7, &limit);
    }
    test_poll_pipes();
    test_poll_files();
    test_poll_rules();
    test_poll_signals();
    test_select();
    test_epoll_errors();
    test_epoll_triggers();
    test_epoll_lifetime();
    test_epoll_nesting();
    test_epoll_waiting();
    say("poll_test: done\n");
    return 0;
}
