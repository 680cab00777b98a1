// ppoll, on the Linux call (the kernel's sigset is 8 bytes). The kernel
// writes the time left into the timeout; the caller's stays as it was, as
// with glibc, which passes a copy.

#include "../internal/syscall.h"
#include <poll.h>

int ppoll(struct pollfd* fds, nfds_t count, const struct timespec* timeout, const sigset_t* mask)
{
    struct timespec copy;
    struct timespec* pointer = 0;
    if (timeout) {
        copy = *timeout;
        pointer = &copy;
    }
    return (int)SYSCALL5(ppoll, fds, count, pointer, mask, sizeof(sigset_t));
}
