// ppoll, on the Linux call (the kernel's sigset is 8 bytes).

#include "../internal/syscall.h"
#include <poll.h>

int ppoll(struct pollfd* fds, nfds_t count, const struct timespec* timeout, const sigset_t* mask)
{
    return (int)SYSCALL5(ppoll, fds, count, timeout, mask, sizeof(sigset_t));
}
