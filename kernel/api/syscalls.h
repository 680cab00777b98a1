#pragma once

// The system call table shared by the kernel and libc: Osprey uses the Linux
// x86_64 numbers (reference: /usr/include/x86_64-linux-gnu/asm/unistd_64.h from
// linux-libc-dev; tests/libc/abi_host_check.c compares every entry with it).
//
// OSPREY_ENUMERATE_SYSCALLS(X) expands X(name, number) once per call, in
// number order. The kernel builds its dispatcher and the names for tracing from
// it; libc builds SYS_<name> (libc/include/sys/syscall.h). A call listed here is
// part of the ABI Osprey intends to serve; one the kernel has not implemented
// yet answers -ENOSYS like any unknown number. Osprey's own calls (capability
// IPC) use numbers from 1024 up, listed in kernel/api/ipc.h.
//
// Plain C preprocessor only: this header is included by C++ kernel code and by
// C user programs.

#define OSPREY_ENUMERATE_SYSCALLS(X) \
    X(read, 0)                       \
    X(write, 1)                      \
    X(open, 2)                       \
    X(close, 3)                      \
    X(stat, 4)                       \
    X(fstat, 5)                      \
    X(lstat, 6)                      \
    X(poll, 7)                       \
    X(lseek, 8)                      \
    X(mmap, 9)                       \
    X(mprotect, 10)                  \
    X(munmap, 11)                    \
    X(brk, 12)                       \
    X(rt_sigaction, 13)              \
    X(rt_sigprocmask, 14)            \
    X(rt_sigreturn, 15)              \
    X(ioctl, 16)                     \
    X(pread64, 17)                   \
    X(pwrite64, 18)                  \
    X(readv, 19)                     \
    X(writev, 20)                    \
    X(access, 21)                    \
    X(pipe, 22)                      \
    X(select, 23)                    \
    X(sched_yield, 24)               \
    X(mremap, 25)                    \
    X(msync, 26)                     \
    X(madvise, 28)                   \
    X(dup, 32)                       \
    X(dup2, 33)                      \
    X(pause, 34)                     \
    X(nanosleep, 35)                 \
    X(alarm, 37)                     \
    X(getpid, 39)                    \
    X(socket, 41)                    \
    X(connect, 42)                   \
    X(accept, 43)                    \
    X(sendto, 44)                    \
    X(recvfrom, 45)                  \
    X(sendmsg, 46)                   \
    X(recvmsg, 47)                   \
    X(shutdown, 48)                  \
    X(bind, 49)                      \
    X(listen, 50)                    \
    X(getsockname, 51)               \
    X(getpeername, 52)               \
    X(socketpair, 53)                \
    X(setsockopt, 54)                \
    X(getsockopt, 55)                \
    X(clone, 56)                     \
    X(fork, 57)                      \
    X(vfork, 58)                     \
    X(execve, 59)                    \
    X(exit, 60)                      \
    X(wait4, 61)                     \
    X(kill, 62)                      \
    X(uname, 63)                     \
    X(fcntl, 72)                     \
    X(fsync, 74)                     \
    X(fdatasync, 75)                 \
    X(truncate, 76)                  \
    X(ftruncate, 77)                 \
    X(getcwd, 79)                    \
    X(chdir, 80)                     \
    X(fchdir, 81)                    \
    X(rename, 82)                    \
    X(mkdir, 83)                     \
    X(rmdir, 84)                     \
    X(link, 86)                      \
    X(unlink, 87)                    \
    X(symlink, 88)                   \
    X(readlink, 89)                  \
    X(chmod, 90)                     \
    X(fchmod, 91)                    \
    X(chown, 92)                     \
    X(fchown, 93)                    \
    X(lchown, 94)                    \
    X(umask, 95)                     \
    X(gettimeofday, 96)              \
    X(getrlimit, 97)                 \
    X(getrusage, 98)                 \
    X(sysinfo, 99)                   \
    X(times, 100)                    \
    X(getuid, 102)                   \
    X(syslog, 103)                   \
    X(getgid, 104)                   \
    X(setuid, 105)                   \
    X(setgid, 106)                   \
    X(geteuid, 107)                  \
    X(getegid, 108)                  \
    X(setpgid, 109)                  \
    X(getppid, 110)                  \
    X(getpgrp, 111)                  \
    X(setsid, 112)                   \
    X(setreuid, 113)                 \
    X(setregid, 114)                 \
    X(getgroups, 115)                \
    X(setgroups, 116)                \
    X(setresuid, 117)                \
    X(getresuid, 118)                \
    X(setresgid, 119)                \
    X(getresgid, 120)                \
    X(getpgid, 121)                  \
    X(getsid, 124)                   \
    X(rt_sigpending, 127)            \
    X(rt_sigtimedwait, 128)          \
    X(rt_sigsuspend, 130)            \
    X(sigaltstack, 131)              \
    X(statfs, 137)                   \
    X(fstatfs, 138)                  \
    X(arch_prctl, 158)               \
    X(setrlimit, 160)                \
    X(sync, 162)                     \
    X(settimeofday, 164)             \
    X(mount, 165)                    \
    X(umount2, 166)                  \
    X(reboot, 169)                   \
    X(sethostname, 170)              \
    X(gettid, 186)                   \
    X(tkill, 200)                    \
    X(time, 201)                     \
    X(futex, 202)                    \
    X(epoll_create, 213)             \
    X(getdents64, 217)               \
    X(set_tid_address, 218)          \
    X(restart_syscall, 219)          \
    X(clock_settime, 227)            \
    X(clock_gettime, 228)            \
    X(clock_getres, 229)             \
    X(clock_nanosleep, 230)          \
    X(exit_group, 231)               \
    X(epoll_wait, 232)               \
    X(epoll_ctl, 233)                \
    X(tgkill, 234)                   \
    X(openat, 257)                   \
    X(mkdirat, 258)                  \
    X(fchownat, 260)                 \
    X(newfstatat, 262)               \
    X(unlinkat, 263)                 \
    X(renameat, 264)                 \
    X(linkat, 265)                   \
    X(symlinkat, 266)                \
    X(readlinkat, 267)               \
    X(fchmodat, 268)                 \
    X(faccessat, 269)                \
    X(pselect6, 270)                 \
    X(ppoll, 271)                    \
    X(set_robust_list, 273)          \
    X(utimensat, 280)                \
    X(epoll_pwait, 281)              \
    X(accept4, 288)                  \
    X(epoll_create1, 291)            \
    X(dup3, 292)                     \
    X(pipe2, 293)                    \
    X(prlimit64, 302)                \
    X(syncfs, 306)                   \
    X(renameat2, 316)                \
    X(getrandom, 318)                \
    X(rseq, 334)                     \
    X(faccessat2, 439)
