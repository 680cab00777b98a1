// Process-to-process benchmarks, the same source on Osprey and the host
// Linux. Prints:
//   BENCH pipe_pingpong <us> us        one byte there and back between two
//                                      processes over two pipes
//   BENCH pipe_write_read <ns> ns      a one-byte write and read on a pipe
//                                      within one process (no switch)
//   BENCH context_switch <ns> ns       (pipe_pingpong - 2 pipe_write_read) / 2:
//                                      what a round trip costs beyond its four
//                                      pipe calls, per switch
// Both processes are pinned to CPU 0 where sched_setaffinity exists (on a
// multi-core host the round trip would otherwise be a cross-CPU wake-up,
// not a context switch; Osprey runs on one CPU and answers ENOSYS).
// Usage: process_bench [round trips]
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SYS_SCHED_SETAFFINITY 203

static long long now_ns(void)
{
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return (long long)time.tv_sec * 1000000000LL + time.tv_nsec;
}

static void pin_to_cpu0(void)
{
    unsigned long mask = 1;
    (void)syscall(SYS_SCHED_SETAFFINITY, 0, sizeof(mask), &mask);
}

static void transfer(int read_fd, int write_fd, char* byte)
{
    if (write(write_fd, byte, 1) != 1 || read(read_fd, byte, 1) != 1) {
        perror("process_bench: pipe");
        exit(1);
    }
}

int main(int argc, char** argv)
{
    long rounds = argc > 1 ? atol(argv[1]) : 2000;
    if (rounds <= 0) {
        fprintf(stderr, "process_bench: bad round count\n");
        return 2;
    }
    pin_to_cpu0();

    int self[2];
    if (pipe(self) != 0) {
        perror("process_bench: pipe");
        return 1;
    }
    char byte = 'x';
    for (long i = 0; i < rounds / 10; i++)
        transfer(self[0], self[1], &byte);
    long long start = now_ns();
    for (long i = 0; i < rounds; i++)
        transfer(self[0], self[1], &byte);
    double write_read_ns = (double)(now_ns() - start) / (double)rounds;

    int there[2], back[2];
    if (pipe(there) != 0 || pipe(back) != 0) {
        perror("process_bench: pipe");
        return 1;
    }
    long total = rounds + rounds / 10;
    pid_t pid = fork();
    if (pid < 0) {
        perror("process_bench: fork");
        return 1;
    }
    if (pid == 0) {
        for (long i = 0; i < total; i++)
            transfer(there[0], back[1], &byte);
        _exit(0);
    }
    for (long i = 0; i < rounds / 10; i++)
        transfer(back[0], there[1], &byte);
    start = now_ns();
    for (long i = 0; i < rounds; i++)
        transfer(back[0], there[1], &byte);
    double round_trip_ns = (double)(now_ns() - start) / (double)rounds;
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "process_bench: the echoing child failed\n");
        return 1;
    }

    double switch_ns = (round_trip_ns - 2 * write_read_ns) / 2;
    printf("BENCH pipe_pingpong %.2f us\n", round_trip_ns / 1000);
    printf("BENCH pipe_write_read %.0f ns\n", write_read_ns);
    printf("BENCH context_switch %.0f ns\n", switch_ns < 0 ? 0 : switch_ns);
    return 0;
}
