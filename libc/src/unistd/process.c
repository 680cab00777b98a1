// Processes, identities, process groups and sessions.

#include "../internal/syscall.h"
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t fork(void)
{
    return (pid_t)SYSCALL0(fork);
}
int execve(const char* path, char* const argv[], char* const envp[])
{
    return (int)SYSCALL3(execve, path, argv, envp);
}
pid_t getpid(void)
{
    return (pid_t)syscall0(SYS_getpid);
}
pid_t getppid(void)
{
    return (pid_t)syscall0(SYS_getppid);
}
pid_t gettid(void)
{
    return (pid_t)syscall0(SYS_gettid);
}
uid_t getuid(void)
{
    return (uid_t)syscall0(SYS_getuid);
}
uid_t geteuid(void)
{
    return (uid_t)syscall0(SYS_geteuid);
}
gid_t getgid(void)
{
    return (gid_t)syscall0(SYS_getgid);
}
gid_t getegid(void)
{
    return (gid_t)syscall0(SYS_getegid);
}
int setuid(uid_t uid)
{
    return (int)SYSCALL1(setuid, uid);
}
int setgid(gid_t gid)
{
    return (int)SYSCALL1(setgid, gid);
}
int getgroups(int size, gid_t list[])
{
    return (int)SYSCALL2(getgroups, size, list);
}
pid_t getpgid(pid_t pid)
{
    return (pid_t)SYSCALL1(getpgid, pid);
}
pid_t getpgrp(void)
{
    return (pid_t)SYSCALL1(getpgid, 0);
}
int setpgid(pid_t pid, pid_t pgid)
{
    return (int)SYSCALL2(setpgid, pid, pgid);
}
pid_t setsid(void)
{
    return (pid_t)SYSCALL0(setsid);
}
pid_t getsid(pid_t pid)
{
    return (pid_t)SYSCALL1(getsid, pid);
}

pid_t tcgetpgrp(int fd)
{
    pid_t pgrp;
    if (ioctl(fd, TIOCGPGRP, &pgrp) < 0)
        return -1;
    return pgrp;
}

int tcsetpgrp(int fd, pid_t pgrp)
{
    return ioctl(fd, TIOCSPGRP, &pgrp);
}

pid_t wait4(pid_t pid, int* status, int options, struct rusage* usage)
{
    return (pid_t)SYSCALL4(wait4, pid, status, options, usage);
}

pid_t waitpid(pid_t pid, int* status, int options)
{
    return wait4(pid, status, options, NULL);
}

pid_t wait(int* status)
{
    return wait4(-1, status, 0, NULL);
}
