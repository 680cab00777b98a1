// Clocks and sleeping.

#include "../internal/syscall.h"
#include <sys/time.h>
#include <time.h>

int clock_gettime(clockid_t clock, struct timespec* result)
{
    return (int)SYSCALL2(clock_gettime, clock, result);
}
int clock_getres(clockid_t clock, struct timespec* result)
{
    return (int)SYSCALL2(clock_getres, clock, result);
}
int nanosleep(const struct timespec* duration, struct timespec* remaining)
{
    return (int)SYSCALL2(nanosleep, duration, remaining);
}

// clock_nanosleep returns the error number instead of setting errno.
int clock_nanosleep(clockid_t clock, int flags, const struct timespec* request, struct timespec* remaining)
{
    long result = syscall4(SYS_clock_nanosleep, clock, flags, (long)request, (long)remaining);
    return result < 0 ? (int)-result : 0;
}

time_t time(time_t* result)
{
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) < 0)
        return (time_t)-1;
    if (result)
        *result = now.tv_sec;
    return now.tv_sec;
}

int gettimeofday(struct timeval* restrict result, void* restrict zone)
{
    (void)zone;
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) < 0)
        return -1;
    result->tv_sec = now.tv_sec;
    result->tv_usec = now.tv_nsec / 1000;
    return 0;
}

// Processor time used, in CLOCKS_PER_SEC (microsecond) units.
clock_t clock(void)
{
    struct timespec used;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &used) < 0)
        return (clock_t)-1;
    return used.tv_sec * 1000000 + used.tv_nsec / 1000;
}
