// Wake-up cost of the readiness calls: two processes pass a byte back and
// forth over two pipes, each side blocking in poll (or epoll_wait) before
// it reads. Prints "BENCH <name> <value> us" per round trip.
// Usage: poll_bench [round trips]
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum Method { POLL, EPOLL };

// Blocks until `fd` is readable, with the method under test.
static void wait_readable(enum Method method, int fd, int epoll_fd)
{
    if (method == POLL) {
        struct pollfd entry = { fd, POLLIN, 0 };
        poll(&entry, 1, -1);
    } else {
        struct epoll_event event;
        epoll_wait(epoll_fd, &event, 1, -1);
    }
}

static int watcher(enum Method method, int fd)
{
    if (method != EPOLL)
        return -1;
    int epoll_fd = epoll_create1(0);
    struct epoll_event event = { EPOLLIN, { .fd = fd } };
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
    return epoll_fd;
}

static double ping_pong(enum Method method, long rounds)
{
    int there[2], back[2];
    pipe(there);
    pipe(back);
    char byte = 'x';
    pid_t child = fork();
    if (child == 0) {
        int epoll_fd = watcher(method, there[0]);
        for (long i = 0; i < rounds; ++i) {
            wait_readable(method, there[0], epoll_fd);
            read(there[0], &byte, 1);
            write(back[1], &byte, 1);
        }
        _exit(0);
    }
    int epoll_fd = watcher(method, back[0]);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < rounds; ++i) {
        write(there[1], &byte, 1);
        wait_readable(method, back[0], epoll_fd);
        read(back[0], &byte, 1);
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    int status;
    waitpid(child, &status, 0);
    if (epoll_fd >= 0)
        close(epoll_fd);
    close(there[0]);
    close(there[1]);
    close(back[0]);
    close(back[1]);
    double nanoseconds = (double)(end.tv_sec - start.tv_sec) * 1e9 + (double)(end.tv_nsec - start.tv_nsec);
    return nanoseconds / 1000.0 / (double)rounds;
}

int main(int argc, char** argv)
{
    long rounds = argc > 1 ? atol(argv[1]) : 2000;
    if (rounds <= 0)
        rounds = 2000;
    printf("BENCH poll_pipe_pingpong %.1f us\n", ping_pong(POLL, rounds));
    printf("BENCH epoll_pipe_pingpong %.1f us\n", ping_pong(EPOLL, rounds));
    return 0;
}
