// Small system interfaces: ioctl, getrandom, sched_yield, assertion and
// stack-protector failures.

#include "../internal/syscall.h"
#include <assert.h>
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/random.h>

int ioctl(int fd, unsigned long request, ...)
{
    va_list arguments;
    va_start(arguments, request);
    void* argument = va_arg(arguments, void*);
    va_end(arguments);
    return (int)SYSCALL3(ioctl, fd, request, argument);
}

ssize_t getrandom(void* buffer, size_t length, unsigned flags)
{
    return SYSCALL3(getrandom, buffer, length, flags);
}

int sched_yield(void)
{
    return (int)SYSCALL0(sched_yield);
}

// Called by code built with -fstack-protector when the canary at %fs:0x28
// (set by crt/tls.c from AT_RANDOM) was overwritten. Uses write(2) only: the
// stack, and so stdio's state, cannot be trusted any more.
_Noreturn void __stack_chk_fail(void)
{
    static const char message[] = "*** stack smashing detected ***: terminated\n";
    syscall3(SYS_write, 2, (long)message, sizeof(message) - 1);
    abort();
}

_Noreturn void __assert_fail(const char* expression, const char* file, unsigned int line, const char* function)
{
    fprintf(stderr, "%s: %s:%u: %s: Assertion `%s' failed.\n", program_invocation_short_name, file, line, function,
        expression);
    abort();
}
