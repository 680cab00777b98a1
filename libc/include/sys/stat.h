#pragma once

// struct stat as the x86_64 kernel fills it (asm/stat.h), with the POSIX
// timespec names for the time fields (glibc's layout is the same).

#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

struct stat {
    dev_t st_dev;
    ino_t st_ino;
    nlink_t st_nlink;
    mode_t st_mode;
    uid_t st_uid;
    gid_t st_gid;
    unsigned int __pad0;
    dev_t st_rdev;
    off_t st_size;
    blksize_t st_blksize;
    blkcnt_t st_blocks;
    struct timespec st_atim;
    struct timespec st_mtim;
    struct timespec st_ctim;
    long __unused[3];
};

#define st_atime       st_atim.tv_sec
#define st_mtime       st_mtim.tv_sec
#define st_ctime       st_ctim.tv_sec

#define S_IFMT         0170000
#define S_IFSOCK       0140000
#define S_IFLNK        0120000
#define S_IFREG        0100000
#define S_IFBLK        0060000
#define S_IFDIR        0040000
#define S_IFCHR        0020000
#define S_IFIFO        0010000
#define S_ISUID        04000
#define S_ISGID        02000
#define S_ISVTX        01000
#define S_IRWXU        00700
#define S_IRUSR        00400
#define S_IWUSR        00200
#define S_IXUSR        00100
#define S_IRWXG        00070
#define S_IRGRP        00040
#define S_IWGRP        00020
#define S_IXGRP        00010
#define S_IRWXO        00007
#define S_IROTH        00004
#define S_IWOTH        00002
#define S_IXOTH        00001

#define S_ISLNK(mode)  (((mode)&S_IFMT) == S_IFLNK)
#define S_ISREG(mode)  (((mode)&S_IFMT) == S_IFREG)
#define S_ISDIR(mode)  (((mode)&S_IFMT) == S_IFDIR)
#define S_ISCHR(mode)  (((mode)&S_IFMT) == S_IFCHR)
#define S_ISBLK(mode)  (((mode)&S_IFMT) == S_IFBLK)
#define S_ISFIFO(mode) (((mode)&S_IFMT) == S_IFIFO)
#define S_ISSOCK(mode) (((mode)&S_IFMT) == S_IFSOCK)

#define UTIME_NOW      ((1l << 30) - 1l)
#define UTIME_OMIT     ((1l << 30) - 2l)

int stat(const char* restrict path, struct stat* restrict result);
int lstat(const char* restrict path, struct stat* restrict result);
int fstat(int fd, struct stat* result);
int fstatat(int directory_fd, const char* restrict path, struct stat* restrict result, int flags);
int mkdir(const char* path, mode_t mode);
int mkdirat(int directory_fd, const char* path, mode_t mode);
int chmod(const char* path, mode_t mode);
int fchmod(int fd, mode_t mode);
int fchmodat(int directory_fd, const char* path, mode_t mode, int flags);
int futimens(int fd, const struct timespec times[2]);
mode_t umask(mode_t mask);
int utimensat(int directory_fd, const char* path, const struct timespec times[2], int flags);

#ifdef __cplusplus
}
#endif
