// poll and select, on the Linux calls of the same name.

#include "../internal/syscall.h"
#include <poll.h>
#include <sys/select.h>
#include <sys/time.h>

int poll(struct pollfd* fds, nfds_t count, int timeout_ms)
{
    return (int)SYSCALL3(poll, fds, count, timeout_ms);
}

int select(int count, fd_set* restrict read_set, fd_set* restrict write_set, fd_set* restrict error_set,
    struct timeval* restrict timeout)
{
    return (int)SYSCALL5(select, count, read_set, write_set, error_set, timeout);
}
