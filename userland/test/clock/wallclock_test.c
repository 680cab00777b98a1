// The wall clock, as a program sees it. Prints "now <seconds>" (time() at the
// start, which tests/system/wallclock.py holds against the host's clock),
// then "ok <check>" or "FAIL <check>" lines and "wallclock: <n> failed".
//
// Checks: time, gettimeofday, CLOCK_REALTIME and REALTIME_COARSE agree;
// clock_getres; clock_settime/settimeofday errors (EINVAL, EFAULT, EPERM for
// a user that is not root); root setting the clock moves CLOCK_REALTIME and
// not CLOCK_MONOTONIC; an absolute CLOCK_REALTIME sleep ends on time; a new
// file's modification time is the wall clock's. Runs as root.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SYS_TIME            201
#define SYS_GETTIMEOFDAY    96
#define SYS_SETTIMEOFDAY    164
#define SYS_CLOCK_SETTIME   227
#define SYS_CLOCK_GETRES    229
#define SYS_CLOCK_NANOSLEEP 230
#define REALTIME            0
#define MONOTONIC           1
#define REALTIME_COARSE     5
#define ABSTIME             1

static int failures;

static void check(const char* what, int good)
{
    printf("%s %s\n", good ? "ok" : "FAIL", what);
    if (!good)
        ++failures;
}

static int64_t ns_of(struct timespec t)
{
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int64_t clock_ns(int clock)
{
    struct timespec t;
    if (clock_gettime(clock, &t) != 0)
        return -1;
    return ns_of(t);
}

// The errno of a syscall() that failed (it returns -1 and sets errno), else 0.
static long raw_errno(long result)
{
    return result == -1 ? errno : 0;
}

static void check_sources_agree(void)
{
    long raw_seconds = syscall(SYS_TIME, 0);
    time_t libc_seconds = time(NULL);
    struct timeval tv;
    check("gettimeofday returns 0", gettimeofday(&tv, NULL) == 0);
    int64_t realtime = clock_ns(REALTIME);
    int64_t coarse = clock_ns(REALTIME_COARSE);
    int64_t monotonic = clock_ns(MONOTONIC);
    check("time syscall and time() agree", raw_seconds >= libc_seconds - 1 && raw_seconds <= libc_seconds + 1);
    check("gettimeofday agrees with time()", tv.tv_sec >= libc_seconds - 1 && tv.tv_sec <= libc_seconds + 1);
    check("gettimeofday microseconds in range", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    check("CLOCK_REALTIME agrees with time()",
        realtime / 1000000000 >= libc_seconds - 1 && realtime / 1000000000 <= libc_seconds + 1);
    check("CLOCK_REALTIME_COARSE agrees with CLOCK_REALTIME",
        coarse >= realtime - 1000000000 && coarse <= realtime + 1000000000);
    // A real date, not seconds since boot: after 2020-01-01.
    check("CLOCK_REALTIME is a real date", realtime / 1000000000 > 1577836800);
    check("CLOCK_MONOTONIC is not the wall clock", monotonic < realtime - (int64_t)1000000000 * 86400);

    time_t stored = 0;
    check("time(&t) stores what it returns", time(&stored) == stored && stored >= libc_seconds);
    check("time(bad pointer) is EFAULT", raw_errno(syscall(SYS_TIME, 1)) == EFAULT);
    struct timezone zone = { 1, 1 };
    check("gettimeofday(NULL, &tz) gives the zero zone",
        syscall(SYS_GETTIMEOFDAY, 0, &zone) == 0 && zone.tz_minuteswest == 0 && zone.tz_dsttime == 0);
}

static void check_resolution(void)
{
    struct timespec res = { 99, 99 };
    check("clock_getres(REALTIME) is 1 ns",
        syscall(SYS_CLOCK_GETRES, REALTIME, &res) == 0 && res.tv_sec == 0 && res.tv_nsec == 1);
    check("clock_getres(REALTIME_COARSE) is a tick",
        syscall(SYS_CLOCK_GETRES, REALTIME_COARSE, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 1
            && res.tv_nsec <= 10000000);
    check("clock_getres(REALTIME, NULL) is 0", syscall(SYS_CLOCK_GETRES, REALTIME, 0) == 0);
    check("clock_getres(99) is EINVAL", raw_errno(syscall(SYS_CLOCK_GETRES, 99, &res)) == EINVAL);
}

static void check_setting_errors(void)
{
    struct timespec now;
    clock_gettime(REALTIME, &now);
    check("clock_settime(MONOTONIC) is EINVAL", raw_errno(syscall(SYS_CLOCK_SETTIME, MONOTONIC, &now)) == EINVAL);
    check("clock_settime(REALTIME_COARSE) is EINVAL",
        raw_errno(syscall(SYS_CLOCK_SETTIME, REALTIME_COARSE, &now)) == EINVAL);
    check("clock_settime(bad pointer) is EFAULT", raw_errno(syscall(SYS_CLOCK_SETTIME, REALTIME, 1)) == EFAULT);
    struct timespec bad = { now.tv_sec, 1000000000 };
    check("clock_settime(tv_nsec 1e9) is EINVAL", raw_errno(syscall(SYS_CLOCK_SETTIME, REALTIME, &bad)) == EINVAL);
    bad.tv_sec = -1;
    bad.tv_nsec = 0;
    check("clock_settime(-1 s) is EINVAL", raw_errno(syscall(SYS_CLOCK_SETTIME, REALTIME, &bad)) == EINVAL);
    struct timeval bad_tv = { now.tv_sec, 1000000 };
    check("settimeofday(tv_usec 1e6) is EINVAL", raw_errno(syscall(SYS_SETTIMEOFDAY, &bad_tv, 0)) == EINVAL);

    pid_t child = fork();
    if (child == 0) {
        if (setuid(1000) != 0)
            _exit(2);
        struct timeval tv = { now.tv_sec, 0 };
        int clock_eperm = raw_errno(syscall(SYS_CLOCK_SETTIME, REALTIME, &now)) == EPERM;
        int tod_eperm = raw_errno(syscall(SYS_SETTIMEOFDAY, &tv, 0)) == EPERM;
        _exit(clock_eperm && tod_eperm ? 0 : 1);
    }
    int status = -1;
    waitpid(child, &status, 0);
    check("a user that is not root gets EPERM from clock_settime and settimeofday",
        WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void check_setting_as_root(void)
{
    const int64_t hour = (int64_t)3600 * 1000000000;
    int64_t monotonic_before = clock_ns(MONOTONIC);
    int64_t realtime_before = clock_ns(REALTIME);
    struct timespec ahead = { (realtime_before + hour) / 1000000000, (realtime_before + hour) % 1000000000 };
    check("root: clock_settime(REALTIME) returns 0", syscall(SYS_CLOCK_SETTIME, REALTIME, &ahead) == 0);
    int64_t realtime_after = clock_ns(REALTIME);
    int64_t monotonic_after = clock_ns(MONOTONIC);
    check("root: CLOCK_REALTIME moved an hour ahead",
        realtime_after >= realtime_before + hour && realtime_after < realtime_before + hour + 2000000000LL);
    check("root: CLOCK_MONOTONIC did not move",
        monotonic_after >= monotonic_before && monotonic_after < monotonic_before + 2000000000LL);

    // Back with settimeofday, to the time it would be without the change.
    int64_t restored = clock_ns(REALTIME) - hour;
    struct timeval back = { restored / 1000000000, restored % 1000000000 / 1000 };
    check("root: settimeofday returns 0", syscall(SYS_SETTIMEOFDAY, &back, 0) == 0);
    int64_t now = clock_ns(REALTIME);
    check("root: settimeofday put the clock back", now >= realtime_before && now < realtime_before + 2000000000LL);
}

static void check_absolute_sleep(void)
{
    int64_t start_monotonic = clock_ns(MONOTONIC);
    int64_t deadline = clock_ns(REALTIME) + 300000000; // 0.3 s ahead
    struct timespec until = { deadline / 1000000000, deadline % 1000000000 };
    long result = syscall(SYS_CLOCK_NANOSLEEP, REALTIME, ABSTIME, &until, 0);
    int64_t slept = clock_ns(MONOTONIC) - start_monotonic;
    check("absolute CLOCK_REALTIME sleep returns 0", result == 0);
    check("absolute CLOCK_REALTIME sleep ends at the deadline, not before", clock_ns(REALTIME) >= deadline);
    check("absolute CLOCK_REALTIME sleep lasts about 0.3 s, not years", slept < (int64_t)60 * 1000000000);
    struct timespec past = { 1, 0 };
    check("absolute CLOCK_REALTIME sleep to 1970 returns at once",
        syscall(SYS_CLOCK_NANOSLEEP, REALTIME, ABSTIME, &past, 0) == 0);
}

static void check_file_times(void)
{
    const char* path = "/tmp/wallclock_test_file";
    time_t before = time(NULL);
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    struct stat st;
    int good = fd >= 0 && fstat(fd, &st) == 0;
    check("a new file can be created and stat'ed", good);
    if (good)
        check("a new file's mtime is the wall clock's", st.st_mtime >= before - 1 && st.st_mtime <= time(NULL) + 1);
    if (fd >= 0)
        close(fd);
    unlink(path);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("now %lld\n", (long long)time(NULL));
    check_sources_agree();
    check_resolution();
    check_setting_errors();
    check_setting_as_root();
    check_absolute_sleep();
    check_file_times();
    printf("wallclock: %d failed\n", failures);
    return failures ? 1 : 0;
}
