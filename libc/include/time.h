#pragma once

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct timespec {
    time_t tv_sec;
    long tv_nsec;
};

// Broken-down time (C17 7.27.1) with glibc's two extra fields, same layout.
struct tm {
    int tm_sec;
    int tm_min;
    int tm_hour;
    int tm_mday;
    int tm_mon;
    int tm_year;
    int tm_wday;
    int tm_yday;
    int tm_isdst;
    long tm_gmtoff;
    const char* tm_zone;
};

#define CLOCK_REALTIME           0
#define CLOCK_MONOTONIC          1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID  3
#define CLOCK_MONOTONIC_RAW      4
#define CLOCK_BOOTTIME           7
#define TIMER_ABSTIME            1
#define CLOCKS_PER_SEC           1000000L

time_t time(time_t* result);
int clock_gettime(clockid_t clock, struct timespec* result);
int clock_getres(clockid_t clock, struct timespec* result);
int nanosleep(const struct timespec* duration, struct timespec* remaining);
int clock_nanosleep(clockid_t clock, int flags, const struct timespec* request, struct timespec* remaining);
clock_t clock(void);

// UTC only: Osprey has no time zones, so localtime is gmtime.
struct tm* gmtime(const time_t* time);
struct tm* gmtime_r(const time_t* restrict time, struct tm* restrict result);
struct tm* localtime(const time_t* time);
struct tm* localtime_r(const time_t* restrict time, struct tm* restrict result);
time_t timegm(struct tm* broken_down);
time_t mktime(struct tm* broken_down);
size_t strftime(char* restrict buffer, size_t size, const char* restrict format, const struct tm* restrict time);

#ifdef __cplusplus
}
#endif
