// File descriptor I/O: thin wrappers over the Linux calls.

#include "../internal/syscall.h"
#include <fcntl.h>
#include <stdarg.h>
#include <sys/uio.h>
#include <unistd.h>

ssize_t read(int fd, void* buffer, size_t count)
{
    return SYSCALL3(read, fd, buffer, count);
}
ssize_t write(int fd, const void* buffer, size_t count)
{
    return SYSCALL3(write, fd, buffer, count);
}
ssize_t pread(int fd, void* buffer, size_t count, off_t offset)
{
    return SYSCALL4(pread64, fd, buffer, count, offset);
}
ssize_t pwrite(int fd, const void* buffer, size_t count, off_t offset)
{
    return SYSCALL4(pwrite64, fd, buffer, count, offset);
}
ssize_t readv(int fd, const struct iovec* vector, int count)
{
    return SYSCALL3(readv, fd, vector, count);
}
ssize_t writev(int fd, const struct iovec* vector, int count)
{
    return SYSCALL3(writev, fd, vector, count);
}
int close(int fd)
{
    return (int)SYSCALL1(close, fd);
}
off_t lseek(int fd, off_t offset, int whence)
{
    return SYSCALL3(lseek, fd, offset, whence);
}
int pipe(int fds[2])
{
    return (int)SYSCALL2(pipe2, fds, 0);
}
int pipe2(int fds[2], int flags)
{
    return (int)SYSCALL2(pipe2, fds, flags);
}
int dup(int fd)
{
    return (int)SYSCALL1(dup, fd);
}
int dup2(int old_fd, int new_fd)
{
    return (int)SYSCALL2(dup2, old_fd, new_fd);
}
int dup3(int old_fd, int new_fd, int flags)
{
    return (int)SYSCALL3(dup3, old_fd, new_fd, flags);
}
int fsync(int fd)
{
    return (int)SYSCALL1(fsync, fd);
}
int ftruncate(int fd, off_t length)
{
    return (int)SYSCALL2(ftruncate, fd, length);
}
int truncate(const char* path, off_t length)
{
    return (int)SYSCALL2(truncate, path, length);
}
void sync(void)
{
    syscall0(SYS_sync);
}

int open(const char* path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & O_CREAT) {
        va_list arguments;
        va_start(arguments, flags);
        mode = va_arg(arguments, mode_t);
        va_end(arguments);
    }
    return (int)SYSCALL3(open, path, flags, mode);
}

int openat(int directory_fd, const char* path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & O_CREAT) {
        va_list arguments;
        va_start(arguments, flags);
        mode = va_arg(arguments, mode_t);
        va_end(arguments);
    }
    return (int)SYSCALL4(openat, directory_fd, path, flags, mode);
}

int creat(const char* path, mode_t mode)
{
    return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int fcntl(int fd, int command, ...)
{
    va_list arguments;
    va_start(arguments, command);
    long argument = va_arg(arguments, long);
    va_end(arguments);
    return (int)SYSCALL3(fcntl, fd, command, argument);
}
