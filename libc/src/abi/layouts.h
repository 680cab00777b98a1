#pragma once

// The Linux x86_64 layouts of the structures that cross the system-call
// boundary, as numbers: OSPREY_ABI_LAYOUTS(SIZE, OFFSET) expands
//   SIZE(osprey type, host type, size in bytes)
//   OFFSET(osprey type, host type, member, offset in bytes)
// The numbers come from the host's headers (glibc, whose structures match the
// kernel's for these types on x86_64, and the kernel UAPI's asm/termbits.h for
// struct termios). layout_check.c asserts them against Osprey's headers at
// compile time; tests/libc/abi_host_check.c checks them against the host's.

#define OSPREY_ABI_LAYOUTS(SIZE, OFFSET)                                \
    SIZE(struct stat, struct stat, 144)                                 \
    OFFSET(struct stat, struct stat, st_dev, 0)                         \
    OFFSET(struct stat, struct stat, st_ino, 8)                         \
    OFFSET(struct stat, struct stat, st_nlink, 16)                      \
    OFFSET(struct stat, struct stat, st_mode, 24)                       \
    OFFSET(struct stat, struct stat, st_uid, 28)                        \
    OFFSET(struct stat, struct stat, st_gid, 32)                        \
    OFFSET(struct stat, struct stat, st_rdev, 40)                       \
    OFFSET(struct stat, struct stat, st_size, 48)                       \
    OFFSET(struct stat, struct stat, st_blksize, 56)                    \
    OFFSET(struct stat, struct stat, st_blocks, 64)                     \
    OFFSET(struct stat, struct stat, st_atim, 72)                       \
    OFFSET(struct stat, struct stat, st_mtim, 88)                       \
    OFFSET(struct stat, struct stat, st_ctim, 104)                      \
    SIZE(struct dirent, struct dirent64, 280)                           \
    OFFSET(struct dirent, struct dirent64, d_ino, 0)                    \
    OFFSET(struct dirent, struct dirent64, d_off, 8)                    \
    OFFSET(struct dirent, struct dirent64, d_reclen, 16)                \
    OFFSET(struct dirent, struct dirent64, d_type, 18)                  \
    OFFSET(struct dirent, struct dirent64, d_name, 19)                  \
    SIZE(struct timespec, struct timespec, 16)                          \
    OFFSET(struct timespec, struct timespec, tv_nsec, 8)                \
    SIZE(struct timeval, struct timeval, 16)                            \
    OFFSET(struct timeval, struct timeval, tv_usec, 8)                  \
    SIZE(struct tm, struct tm, 56)                                      \
    OFFSET(struct tm, struct tm, tm_isdst, 32)                          \
    OFFSET(struct tm, struct tm, tm_gmtoff, 40)                         \
    OFFSET(struct tm, struct tm, tm_zone, 48)                           \
    SIZE(struct sockaddr, struct sockaddr, 16)                          \
    SIZE(struct sockaddr_storage, struct sockaddr_storage, 128)         \
    SIZE(struct sockaddr_in, struct sockaddr_in, 16)                    \
    OFFSET(struct sockaddr_in, struct sockaddr_in, sin_port, 2)         \
    OFFSET(struct sockaddr_in, struct sockaddr_in, sin_addr, 4)         \
    OFFSET(struct sockaddr_in, struct sockaddr_in, sin_zero, 8)         \
    SIZE(struct sockaddr_in6, struct sockaddr_in6, 28)                  \
    OFFSET(struct sockaddr_in6, struct sockaddr_in6, sin6_port, 2)      \
    OFFSET(struct sockaddr_in6, struct sockaddr_in6, sin6_flowinfo, 4)  \
    OFFSET(struct sockaddr_in6, struct sockaddr_in6, sin6_addr, 8)      \
    OFFSET(struct sockaddr_in6, struct sockaddr_in6, sin6_scope_id, 24) \
    SIZE(struct sockaddr_un, struct sockaddr_un, 110)                   \
    OFFSET(struct sockaddr_un, struct sockaddr_un, sun_path, 2)         \
    SIZE(struct iovec, struct iovec, 16)                                \
    OFFSET(struct iovec, struct iovec, iov_len, 8)                      \
    SIZE(struct msghdr, struct msghdr, 56)                              \
    OFFSET(struct msghdr, struct msghdr, msg_namelen, 8)                \
    OFFSET(struct msghdr, struct msghdr, msg_iov, 16)                   \
    OFFSET(struct msghdr, struct msghdr, msg_iovlen, 24)                \
    OFFSET(struct msghdr, struct msghdr, msg_control, 32)               \
    OFFSET(struct msghdr, struct msghdr, msg_controllen, 40)            \
    OFFSET(struct msghdr, struct msghdr, msg_flags, 48)                 \
    SIZE(struct cmsghdr, struct cmsghdr, 16)                            \
    OFFSET(struct cmsghdr, struct cmsghdr, cmsg_level, 8)               \
    OFFSET(struct cmsghdr, struct cmsghdr, cmsg_type, 12)               \
    SIZE(struct ucred, struct ucred, 12)                                \
    SIZE(struct linger, struct linger, 8)                               \
    SIZE(struct pollfd, struct pollfd, 8)                               \
    OFFSET(struct pollfd, struct pollfd, events, 4)                     \
    OFFSET(struct pollfd, struct pollfd, revents, 6)                    \
    SIZE(fd_set, fd_set, 128)                                           \
    SIZE(struct epoll_event, struct epoll_event, 12)                    \
    OFFSET(struct epoll_event, struct epoll_event, data, 4)             \
    SIZE(struct utsname, struct utsname, 390)                           \
    OFFSET(struct utsname, struct utsname, nodename, 65)                \
    OFFSET(struct utsname, struct utsname, release, 130)                \
    OFFSET(struct utsname, struct utsname, version, 195)                \
    OFFSET(struct utsname, struct utsname, machine, 260)                \
    OFFSET(struct utsname, struct utsname, domainname, 325)             \
    SIZE(struct winsize, struct winsize, 8)                             \
    SIZE(struct termios, struct termios, 36)                            \
    OFFSET(struct termios, struct termios, c_oflag, 4)                  \
    OFFSET(struct termios, struct termios, c_lflag, 12)                 \
    OFFSET(struct termios, struct termios, c_line, 16)                  \
    OFFSET(struct termios, struct termios, c_cc, 17)                    \
    SIZE(siginfo_t, siginfo_t, 128)                                     \
    OFFSET(siginfo_t, siginfo_t, si_code, 8)                            \
    OFFSET(siginfo_t, siginfo_t, si_pid, 16)                            \
    OFFSET(siginfo_t, siginfo_t, si_uid, 20)                            \
    OFFSET(siginfo_t, siginfo_t, si_status, 24)                         \
    OFFSET(siginfo_t, siginfo_t, si_addr, 16)                           \
    SIZE(struct statfs, struct statfs, 120)                             \
    OFFSET(struct statfs, struct statfs, f_fsid, 56)                    \
    OFFSET(struct statfs, struct statfs, f_namelen, 64)                 \
    OFFSET(struct statfs, struct statfs, f_frsize, 72)                  \
    OFFSET(struct statfs, struct statfs, f_flags, 80)

// The kernel's own struct sigaction for rt_sigaction (x86_64:
// include/linux/signal_types.h, with __ARCH_HAS_SA_RESTORER) and its 64-bit
// sigset_t. No host header exposes this form (glibc keeps its kernel_sigaction
// private), so these are asserted on the Osprey side only; tests/libc's signal
// test shows the layout works against the host kernel.
#define OSPREY_KERNEL_ONLY_LAYOUTS(SIZE, OFFSET) \
    SIZE(struct sigaction, 32)                   \
    OFFSET(struct sigaction, sa_flags, 8)        \
    OFFSET(struct sigaction, sa_restorer, 16)    \
    OFFSET(struct sigaction, sa_mask, 24)        \
    SIZE(sigset_t, 8)
