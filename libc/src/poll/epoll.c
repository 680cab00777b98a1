// epoll_create, epoll_create1, epoll_ctl, epoll_wait and epoll_pwait, on the
// Linux calls of the same names.

#include "../internal/syscall.h"
#include <sys/epoll.h>

int epoll_create(int size)
{
    return (int)SYSCALL1(epoll_create, size);
}

int epoll_create1(int flags)
{
    return (int)SYSCALL1(epoll_create1, flags);
}

int epoll_ctl(int epoll_fd, int operation, int fd, struct epoll_event* event)
{
    return (int)SYSCALL4(epoll_ctl, epoll_fd, operation, fd, event);
}

int epoll_wait(int epoll_fd, struct epoll_event* events, int max_events, int timeout_ms)
{
    return (int)SYSCALL4(epoll_wait, epoll_fd, events, max_events, timeout_ms);
}

int epoll_pwait(int epoll_fd, struct epoll_event* events, int max_events, int timeout_ms, const sigset_t* mask)
{
    return (int)SYSCALL6(epoll_pwait, epoll_fd, events, max_events, timeout_ms, mask, sizeof(sigset_t));
}
