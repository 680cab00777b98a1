// errno and the raw-result conversion used by every system call wrapper.

#include "../internal/syscall.h"
#include <errno.h>

static int s_errno;

int* __errno_location(void)
{
    return &s_errno;
}

long __syscall_result(long raw)
{
    if (raw < 0 && raw > -4096) {
        s_errno = (int)-raw;
        return -1;
    }
    return raw;
}
