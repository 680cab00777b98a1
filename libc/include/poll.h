#pragma once

#include <signal.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

struct pollfd {
    int fd;
    short events;
    short revents;
};

typedef unsigned long nfds_t;

#define POLLIN     0x001
#define POLLPRI    0x002
#define POLLOUT    0x004
#define POLLERR    0x008
#define POLLHUP    0x010
#define POLLNVAL   0x020
#define POLLRDNORM 0x040
#define POLLRDBAND 0x080
#define POLLWRNORM 0x100
#define POLLWRBAND 0x200
#define POLLRDHUP  0x2000

int poll(struct pollfd* fds, nfds_t count, int timeout_ms);
// The caller's timeout is left as it was (the call works on a copy).
int ppoll(struct pollfd* fds, nfds_t count, const struct timespec* timeout, const sigset_t* mask);

#ifdef __cplusplus
}
#endif
