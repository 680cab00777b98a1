#pragma once

// The system call table: the one list of Osprey's system calls, shared by the
// kernel (the dispatcher and the names for tracing, kernel/syscalls/) and user
// space (libc's stubs, the test programs in userland/test/). C and C++.
//
// OSPREY_ENUMERATE_SYSCALLS(X) expands X(name, number) once per call. Numbers
// are Linux x86_64's (asm/unistd_64.h from linux-libc-dev); Osprey's own calls
// will take numbers from 1024 up. A number listed here without a handler in
// kernel/syscalls/ answers -ENOSYS, as does any number not listed.
#define OSPREY_ENUMERATE_SYSCALLS(X) \
    X(write, 1)                      \
    X(mmap, 9)                       \
    X(mprotect, 10)                  \
    X(munmap, 11)                    \
    X(brk, 12)                       \
    X(sched_yield, 24)               \
    X(getpid, 39)                    \
    X(exit, 60)                      \
    X(uname, 63)                     \
    X(getuid, 102)                   \
    X(getgid, 104)                   \
    X(geteuid, 107)                  \
    X(getegid, 108)                  \
    X(arch_prctl, 158)               \
    X(gettid, 186)                   \
    X(set_tid_address, 218)          \
    X(clock_gettime, 228)            \
    X(exit_group, 231)               \
    X(getrandom, 318)
