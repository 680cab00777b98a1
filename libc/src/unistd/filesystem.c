// Paths and file metadata: the working directory, links, stat, permissions,
// mounts and filesystem statistics. Each function uses the classic x86_64
// call of its name (unlink, mkdir, stat, ...), the smallest set a kernel must
// serve; the *at functions use the *at calls.

#include "../internal/syscall.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

int chdir(const char* path)
{
    return (int)SYSCALL1(chdir, path);
}
int fchdir(int fd)
{
    return (int)SYSCALL1(fchdir, fd);
}
int unlink(const char* path)
{
    return (int)SYSCALL1(unlink, path);
}
int rmdir(const char* path)
{
    return (int)SYSCALL1(rmdir, path);
}
int link(const char* old_path, const char* new_path)
{
    return (int)SYSCALL2(link, old_path, new_path);
}
int symlink(const char* target, const char* link_path)
{
    return (int)SYSCALL2(symlink, target, link_path);
}
ssize_t readlink(const char* restrict path, char* restrict buffer, size_t size)
{
    return SYSCALL3(readlink, path, buffer, size);
}
int access(const char* path, int mode)
{
    return (int)SYSCALL2(access, path, mode);
}
int chown(const char* path, uid_t owner, gid_t group)
{
    return (int)SYSCALL3(chown, path, owner, group);
}

int stat(const char* restrict path, struct stat* restrict result)
{
    return (int)SYSCALL2(stat, path, result);
}
int lstat(const char* restrict path, struct stat* restrict result)
{
    return (int)SYSCALL2(lstat, path, result);
}
int fstat(int fd, struct stat* result)
{
    return (int)SYSCALL2(fstat, fd, result);
}
int fstatat(int directory_fd, const char* restrict path, struct stat* restrict result, int flags)
{
    return (int)SYSCALL4(newfstatat, directory_fd, path, result, flags);
}
int mkdir(const char* path, mode_t mode)
{
    return (int)SYSCALL2(mkdir, path, mode);
}
int mkdirat(int directory_fd, const char* path, mode_t mode)
{
    return (int)SYSCALL3(mkdirat, directory_fd, path, mode);
}
int chmod(const char* path, mode_t mode)
{
    return (int)SYSCALL2(chmod, path, mode);
}
int fchmod(int fd, mode_t mode)
{
    return (int)SYSCALL2(fchmod, fd, mode);
}
mode_t umask(mode_t mask)
{
    return (mode_t)syscall1(SYS_umask, mask);
}
int utimensat(int directory_fd, const char* path, const struct timespec times[2], int flags)
{
    return (int)SYSCALL4(utimensat, directory_fd, path, times, flags);
}

int mount(const char* source, const char* target, const char* type, unsigned long flags, const void* data)
{
    return (int)SYSCALL5(mount, source, target, type, flags, data);
}
int umount(const char* target)
{
    return (int)SYSCALL2(umount2, target, 0);
}
int umount2(const char* target, int flags)
{
    return (int)SYSCALL2(umount2, target, flags);
}
int statfs(const char* path, struct statfs* result)
{
    return (int)SYSCALL2(statfs, path, result);
}
int fstatfs(int fd, struct statfs* result)
{
    return (int)SYSCALL2(fstatfs, fd, result);
}

// getcwd(NULL, 0) allocates the result, as glibc and musl do.
char* getcwd(char* buffer, size_t size)
{
    char local[4096];
    char* target = buffer ? buffer : local;
    size_t target_size = buffer ? size : sizeof(local);
    if (buffer && size == 0) {
        errno = EINVAL;
        return NULL;
    }
    if (SYSCALL2(getcwd, target, target_size) < 0)
        return NULL;
    if (target[0] != '/') {
        errno = ENOENT; // unreachable directory (Linux prefixes "(unreachable)")
        return NULL;
    }
    if (!buffer) {
        buffer = strdup(local);
        if (!buffer)
            return NULL;
    }
    return buffer;
}
