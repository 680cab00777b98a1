#pragma once

// select(2): fd_set is a 1024-bit array as in Linux (FD_SETSIZE).

#include <signal.h>
#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FD_SETSIZE 1024

typedef struct {
    unsigned long fds_bits[FD_SETSIZE / (8 * sizeof(unsigned long))];
} fd_set;

#define __FD_WORD(fd)     ((unsigned)(fd) / (8 * sizeof(unsigned long)))
#define __FD_BIT(fd)      (1ul << ((unsigned)(fd) % (8 * sizeof(unsigned long))))
#define FD_ZERO(set)      __builtin_memset((set), 0, sizeof(fd_set))
#define FD_SET(fd, set)   ((void)((set)->fds_bits[__FD_WORD(fd)] |= __FD_BIT(fd)))
#define FD_CLR(fd, set)   ((void)((set)->fds_bits[__FD_WORD(fd)] &= ~__FD_BIT(fd)))
#define FD_ISSET(fd, set) (((set)->fds_bits[__FD_WORD(fd)] & __FD_BIT(fd)) != 0)

struct timeval;
int select(int count, fd_set* restrict read_set, fd_set* restrict write_set, fd_set* restrict error_set,
    struct timeval* restrict timeout);
// The caller's timeout is left as it was (the call works on a copy).
int pselect(int count, fd_set* restrict read_set, fd_set* restrict write_set, fd_set* restrict error_set,
    const struct timespec* restrict timeout, const sigset_t* restrict mask);

#ifdef __cplusplus
}
#endif
