// The *at file calls and the rest of the file metadata and sync calls that
// filesystem.c and io.c do not have: linkat, symlinkat, readlinkat,
// unlinkat, renameat, renameat2, faccessat (faccessat2 with flags), fchmodat, fchown, lchown,
// fchownat, futimens, fdatasync, syncfs, msync, setgroups. Each is its
// Linux system call of the same name.

#include "../internal/syscall.h"
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int linkat(int old_directory_fd, const char* old_path, int new_directory_fd, const char* new_path, int flags)
{
    return (int)SYSCALL5(linkat, old_directory_fd, old_path, new_directory_fd, new_path, flags);
}

int symlinkat(const char* target, int directory_fd, const char* link_path)
{
    return (int)SYSCALL3(symlinkat, target, directory_fd, link_path);
}

ssize_t readlinkat(int directory_fd, const char* restrict path, char* restrict buffer, size_t size)
{
    return SYSCALL4(readlinkat, directory_fd, path, buffer, size);
}

int unlinkat(int directory_fd, const char* path, int flags)
{
    return (int)SYSCALL3(unlinkat, directory_fd, path, flags);
}

int renameat(int old_directory_fd, const char* old_path, int new_directory_fd, const char* new_path)
{
    return (int)SYSCALL4(renameat, old_directory_fd, old_path, new_directory_fd, new_path);
}

int renameat2(int old_directory_fd, const char* old_path, int new_directory_fd, const char* new_path, unsigned flags)
{
    return (int)SYSCALL5(renameat2, old_directory_fd, old_path, new_directory_fd, new_path, flags);
}

// The faccessat system call has no flags; faccessat2 has.
int faccessat(int directory_fd, const char* path, int mode, int flags)
{
    if (flags == 0)
        return (int)SYSCALL3(faccessat, directory_fd, path, mode);
    return (int)SYSCALL4(faccessat2, directory_fd, path, mode, flags);
}

int fchmodat(int directory_fd, const char* path, mode_t mode, int flags)
{
    return (int)SYSCALL4(fchmodat, directory_fd, path, mode, flags);
}

int fchown(int fd, uid_t owner, gid_t group)
{
    return (int)SYSCALL3(fchown, fd, owner, group);
}

int lchown(const char* path, uid_t owner, gid_t group)
{
    return (int)SYSCALL3(lchown, path, owner, group);
}

int fchownat(int directory_fd, const char* path, uid_t owner, gid_t group, int flags)
{
    return (int)SYSCALL5(fchownat, directory_fd, path, owner, group, flags);
}

int futimens(int fd, const struct timespec times[2])
{
    return (int)SYSCALL4(utimensat, fd, 0, times, 0);
}

int fdatasync(int fd)
{
    return (int)SYSCALL1(fdatasync, fd);
}

int syncfs(int fd)
{
    return (int)SYSCALL1(syncfs, fd);
}

int msync(void* address, size_t length, int flags)
{
    return (int)SYSCALL3(msync, address, length, flags);
}

int setgroups(size_t size, const gid_t* list)
{
    return (int)SYSCALL2(setgroups, size, list);
}
