// bench: system-call round-trip cost. Prints
//   BENCH getpid <ns> ns            mean over ITERATIONS getpid calls
//   BENCH clock_gettime <ns> ns     mean over ITERATIONS clock_gettime calls
// timed with CLOCK_MONOTONIC around the whole loop.
#include "runtime.h"

#define ITERATIONS 100000

int main(int argc, char** argv)
{
    (void)argc;
    (void)argv;
    uint64_t start = monotonic_ns();
    for (int i = 0; i < ITERATIONS; ++i)
        syscall0(SYS_getpid);
    uint64_t middle = monotonic_ns();
    struct timespec_k now;
    for (int i = 0; i < ITERATIONS; ++i)
        syscall2(SYS_clock_gettime, 1, &now);
    uint64_t end = monotonic_ns();
    out("BENCH getpid %lu ns\n", (middle - start) / ITERATIONS);
    out("BENCH clock_gettime %lu ns\n", (end - middle) / ITERATIONS);
    return 0;
}
