// The rest of <unistd.h>: sleeping, alarms, the program break, host names,
// sysconf and the generic syscall() entry.

#include "../internal/libc.h"
#include "../internal/syscall.h"
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

unsigned sleep(unsigned seconds)
{
    struct timespec duration = { .tv_sec = seconds };
    struct timespec remaining = { 0 };
    if (nanosleep(&duration, &remaining) < 0 && errno == EINTR)
        return (unsigned)remaining.tv_sec + (remaining.tv_nsec > 0);
    return 0;
}

int usleep(useconds_t microseconds)
{
    struct timespec duration = { .tv_sec = microseconds / 1000000, .tv_nsec = (long)(microseconds % 1000000) * 1000 };
    return nanosleep(&duration, NULL);
}

unsigned alarm(unsigned seconds)
{
    return (unsigned)syscall1(SYS_alarm, seconds);
}
int pause(void)
{
    return (int)SYSCALL0(pause);
}

// The kernel's brk returns the new break, or the old one when it refuses.
static uintptr_t s_break;

int brk(void* end)
{
    uintptr_t result = (uintptr_t)syscall1(SYS_brk, (long)end);
    if (result != (uintptr_t)end) {
        errno = ENOMEM;
        return -1;
    }
    s_break = result;
    return 0;
}

void* sbrk(intptr_t increment)
{
    if (!s_break)
        s_break = (uintptr_t)syscall1(SYS_brk, 0);
    uintptr_t old_break = s_break;
    if (increment == 0)
        return (void*)old_break;
    if ((increment > 0 && old_break + (uintptr_t)increment < old_break)
        || (increment < 0 && (uintptr_t)-increment > old_break)) {
        errno = ENOMEM;
        return (void*)-1;
    }
    if (brk((void*)(old_break + (uintptr_t)increment)) < 0)
        return (void*)-1;
    return (void*)old_break;
}

int gethostname(char* name, size_t size)
{
    struct utsname names;
    if (uname(&names) < 0)
        return -1;
    size_t length = strlen(names.nodename);
    if (length >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(name, names.nodename, length + 1);
    return 0;
}

int sethostname(const char* name, size_t size)
{
    return (int)SYSCALL2(sethostname, name, size);
}
int uname(struct utsname* result)
{
    return (int)SYSCALL1(uname, result);
}

int getpagesize(void)
{
    return (int)__auxiliary.page_size;
}

long sysconf(int name)
{
    switch (name) {
    case _SC_PAGESIZE:
        return (long)__auxiliary.page_size;
    case _SC_CLK_TCK:
        return 100; // the unit of times(2) on Linux x86_64 (USER_HZ)
    case _SC_OPEN_MAX:
        return 1024;
    default:
        errno = EINVAL;
        return -1;
    }
}

long syscall(long number, ...)
{
    va_list arguments;
    va_start(arguments, number);
    long a = va_arg(arguments, long);
    long b = va_arg(arguments, long);
    long c = va_arg(arguments, long);
    long d = va_arg(arguments, long);
    long e = va_arg(arguments, long);
    long f = va_arg(arguments, long);
    va_end(arguments);
    return __syscall_result(syscall6(number, a, b, c, d, e, f));
}
