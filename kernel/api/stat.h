#pragma once

/*
 * struct stat as the x86_64 Linux kernel fills it (arch/x86/include/uapi/asm/stat.h)
 * and the file type and permission bits (include/uapi/linux/stat.h). Plain C,
 * shared with libc, which may wrap the time fields in struct timespec: the
 * layout is the same (st_atime then st_atime_nsec, both 8 bytes).
 */
#include <stddef.h>
#include <stdint.h>

#define S_IFMT      0170000
#define S_IFSOCK    0140000
#define S_IFLNK     0120000
#define S_IFREG     0100000
#define S_IFBLK     0060000
#define S_IFDIR     0040000
#define S_IFCHR     0020000
#define S_IFIFO     0010000
#define S_ISUID     0004000
#define S_ISGID     0002000
#define S_ISVTX     0001000

#define S_IRWXU     00700
#define S_IRUSR     00400
#define S_IWUSR     00200
#define S_IXUSR     00100
#define S_IRWXG     00070
#define S_IRGRP     00040
#define S_IWGRP     00020
#define S_IXGRP     00010
#define S_IRWXO     00007
#define S_IROTH     00004
#define S_IWOTH     00002
#define S_IXOTH     00001

#define S_ISLNK(m)  (((m)&S_IFMT) == S_IFLNK)
#define S_ISREG(m)  (((m)&S_IFMT) == S_IFREG)
#define S_ISDIR(m)  (((m)&S_IFMT) == S_IFDIR)
#define S_ISCHR(m)  (((m)&S_IFMT) == S_IFCHR)
#define S_ISBLK(m)  (((m)&S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m)&S_IFMT) == S_IFIFO)
#define S_ISSOCK(m) (((m)&S_IFMT) == S_IFSOCK)

/* utimensat(2) special nanosecond values. */
#define UTIME_NOW   ((1l << 30) - 1l)
#define UTIME_OMIT  ((1l << 30) - 2l)

/* Linux's names, part of the ABI. */
/* NOLINTBEGIN(readability-identifier-naming) */
struct stat {
    uint64_t st_dev;
    uint64_t st_ino;
    uint64_t st_nlink;
    uint32_t st_mode;
    uint32_t st_uid;
    uint32_t st_gid;
    uint32_t __pad0;
    uint64_t st_rdev;
    int64_t st_size;
    int64_t st_blksize;
    int64_t st_blocks; /* 512-byte units */
    uint64_t st_atime;
    uint64_t st_atime_nsec;
    uint64_t st_mtime;
    uint64_t st_mtime_nsec;
    uint64_t st_ctime;
    uint64_t st_ctime_nsec;
    int64_t __unused[3];
};
/* NOLINTEND(readability-identifier-naming) */

#ifdef __cplusplus
#    define OSPREY_API_STATIC_ASSERT static_assert
#else
#    define OSPREY_API_STATIC_ASSERT _Static_assert
#endif
OSPREY_API_STATIC_ASSERT(sizeof(struct stat) == 144, "struct stat is 144 bytes on x86_64");
OSPREY_API_STATIC_ASSERT(offsetof(struct stat, st_ino) == 8, "st_ino");
OSPREY_API_STATIC_ASSERT(offsetof(struct stat, st_nlink) == 16, "st_nlink");
OSPREY_API_STATIC_ASSERT(offsetof(struct stat, st_mode) == 24, "st_mode");
OSPREY_API_STATIC_ASSERT(offsetof(struct stat, st_uid) == 28, "st_uid");
OSPREY_API_STATIC_ASSERT(offsetof(struct stat, st_gid) == 32, "st_gid");
OSPREY_API_STATIC_ASSERT(offsetof(struct stat, st_rdev) == 40, "st_rdev");
OSPREY_API_STATIC_ASSERT(offsetof(struct stat, st_size) == 48, "st_size");
OSPREY_API_STATIC_ASSERT(offsetof(struct stat, st_blksize) == 56, "st_blksize");
OSPREY_API_STATIC_ASSERT(offsetof(struct stat, st_blocks) == 64, "st_blocks");
OSPREY_API_STATIC_ASSERT(offsetof(struct stat, st_atime) == 72, "st_atime");
OSPREY_API_STATIC_ASSERT(offsetof(struct stat, st_mtime) == 88, "st_mtime");
OSPREY_API_STATIC_ASSERT(offsetof(struct stat, st_ctime) == 104, "st_ctime");
