// A blocked readiness call must sleep, not spin: each call below waits
// about a second on an fd that never becomes ready, and the machine's idle
// time (/proc/uptime, second field) must grow by most of the wall time it
// took. Meant for Osprey under QEMU with nothing else running; on a busy
// host the idle figure means nothing. Prints "ok <check>" or
// "FAIL <check> (...)", then "poll_idle: <n> failed". Mounts procfs on
// /proc if it is not there (as root).
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int s_failures;

static void say(const char* format, ...)
{
    char line[256];
    va_list arguments;
    va_start(arguments, format);
    int length = vsnprintf(line, sizeof(line), format, arguments);
    va_end(arguments);
    write(STDOUT_FILENO, line, (size_t)length);
}

// Uptime and idle time in centiseconds.
static int read_uptime(long* uptime, long* idle)
{
    char text[128];
    int fd = open("/proc/uptime", O_RDONLY);
    if (fd < 0)
        return -1;
    ssize_t length = read(fd, text, sizeof(text) - 1);
    close(fd);
    if (length <= 0)
        return -1;
    text[length] = 0;
    long up_seconds, up_hundredths, idle_seconds, idle_hundredths;
    if (sscanf(text, "%ld.%ld %ld.%ld", &up_seconds, &up_hundredths, &idle_seconds, &idle_hundredths) != 4)
        return -1;
    *uptime = up_seconds * 100 + up_hundredths;
    *idle = idle_seconds * 100 + idle_hundredths;
    return 0;
}

typedef int (*Waiter)(int fd);

static int wait_poll(int fd)
{
    struct pollfd entry = { fd, POLLIN, 0 };
    return poll(&entry, 1, 1000);
}

static int wait_ppoll(int fd)
{
    struct pollfd entry = { fd, POLLIN, 0 };
    struct timespec timeout = { 1, 0 };
    return ppoll(&entry, 1, &timeout, NULL);
}

static int wait_select(int fd)
{
    fd_set set;
    FD_ZERO(&set);
    FD_SET(fd, &set);
    struct timeval timeout = { 1, 0 };
    return select(fd + 1, &set, NULL, NULL, &timeout);
}

static int wait_epoll(int fd)
{
    int epoll_fd = epoll_create1(0);
    struct epoll_event event = { EPOLLIN, { .fd = fd } };
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
    int count = epoll_wait(epoll_fd, &event, 1, 1000);
    close(epoll_fd);
    return count;
}

// No timeout: a child writes after a second.
static int wait_poll_forever(int fd)
{
    (void)fd;
    int fds[2];
    pipe(fds);
    pid_t child = fork();
    if (child == 0) {
        struct timespec second = { 1, 0 };
        nanosleep(&second, NULL);
        write(fds[1], "x", 1);
        _exit(0);
    }
    struct pollfd entry = { fds[0], POLLIN, 0 };
    int count = poll(&entry, 1, -1);
    int status;
    waitpid(child, &status, 0);
    close(fds[0]);
    close(fds[1]);
    return count == 1 ? 0 : -1;
}

// The control: spinning for a second must not count as idle, or the
// checks above could not fail.
static int spin(int fd)
{
    (void)fd;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while ((now.tv_sec - start.tv_sec) * 1000000000L + (now.tv_nsec - start.tv_nsec) < 1000000000L);
    return 0;
}

static void check_busy(void)
{
    long uptime_before, idle_before, uptime_after, idle_after;
    if (read_uptime(&uptime_before, &idle_before) < 0) {
        say("FAIL control (no /proc/uptime)\n");
        s_failures++;
        return;
    }
    spin(0);
    read_uptime(&uptime_after, &idle_after);
    long wall = uptime_after - uptime_before;
    long idle = idle_after - idle_before;
    if (wall >= 90 && idle * 10 < wall * 2) {
        say("ok control: a busy loop is not idle\n");
    } else {
        say("FAIL control: a busy loop is not idle (wall %ld cs, idle %ld cs)\n", wall, idle);
        s_failures++;
    }
}

static void check_idle(const char* name, Waiter waiter, int fd)
{
    long uptime_before, idle_before, uptime_after, idle_after;
    if (read_uptime(&uptime_before, &idle_before) < 0) {
        say("FAIL %s (no /proc/uptime)\n", name);
        s_failures++;
        return;
    }
    int result = waiter(fd);
    read_uptime(&uptime_after, &idle_after);
    long wall = uptime_after - uptime_before;
    long idle = idle_after - idle_before;
    // At least 80% idle over a wait of 0.9 s or more.
    int ok = result == 0 && wall >= 90 && idle * 10 >= wall * 8;
    if (ok) {
        say("ok %s sleeps while blocked\n", name);
    } else {
        say("FAIL %s sleeps while blocked (result %d, wall %ld cs, idle %ld cs)\n", name, result, wall, idle);
        s_failures++;
    }
}

int main(void)
{
    // procfs is not mounted at boot; mount it for the test and take it away after.
    int mounted = 0;
    if (access("/proc/uptime", R_OK) != 0)
        mounted = mount("proc", "/proc", "proc", 0, NULL) == 0;
    int fds[2];
    pipe(fds);
    check_busy();
    check_idle("poll", wait_poll, fds[0]);
    check_idle("ppoll", wait_ppoll, fds[0]);
    check_idle("select", wait_select, fds[0]);
    check_idle("epoll_wait", wait_epoll, fds[0]);
    check_idle("poll without timeout", wait_poll_forever, fds[0]);
    if (mounted)
        umount("/proc");
    say("poll_idle: %d failed\n", s_failures);
    return s_failures ? 1 : 0;
}
