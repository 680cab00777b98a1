#pragma once

/*
 * Linux x86_64 open flags, *at() flags, fcntl commands and access modes
 * (include/uapi/asm-generic/fcntl.h, include/uapi/linux/fcntl.h). Shared by
 * the kernel and libc, so this header is plain C: macros and no includes.
 * Values are octal as in the Linux headers.
 */

/* open(2) access modes and flags. */
#define O_ACCMODE           00000003
#define O_RDONLY            00000000
#define O_WRONLY            00000001
#define O_RDWR              00000002
#define O_CREAT             00000100
#define O_EXCL              00000200
#define O_NOCTTY            00000400
#define O_TRUNC             00001000
#define O_APPEND            00002000
#define O_NONBLOCK          00004000
#define O_DSYNC             00010000
#define O_ASYNC             00020000
#define O_DIRECT            00040000
#define O_LARGEFILE         00100000 /* the kernel's value; glibc's userspace O_LARGEFILE is 0 on x86_64 */
#define O_DIRECTORY         00200000
#define O_NOFOLLOW          00400000
#define O_NOATIME           01000000
#define O_CLOEXEC           02000000
#define O_SYNC              04010000 /* __O_SYNC | O_DSYNC */
#define O_PATH              010000000
#define O_TMPFILE           020200000 /* __O_TMPFILE | O_DIRECTORY */
#define O_NDELAY            O_NONBLOCK

/* The directory file descriptor meaning "the current directory". */
#define AT_FDCWD            (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EACCESS          0x200 /* faccessat */
#define AT_REMOVEDIR        0x200 /* unlinkat */
#define AT_SYMLINK_FOLLOW   0x400 /* linkat */
#define AT_NO_AUTOMOUNT     0x800
#define AT_EMPTY_PATH       0x1000

/* fcntl(2) commands and the one file descriptor flag. */
#define F_DUPFD             0
#define F_GETFD             1
#define F_SETFD             2
#define F_GETFL             3
#define F_SETFL             4
#define F_DUPFD_CLOEXEC     1030
#define FD_CLOEXEC          1

/* access(2) modes. */
#define F_OK                0
#define X_OK                1
#define W_OK                2
#define R_OK                4

/* lseek(2) whence. */
#define SEEK_SET            0
#define SEEK_CUR            1
#define SEEK_END            2
#define SEEK_DATA           3
#define SEEK_HOLE           4

/* renameat2(2) flags. */
#define RENAME_NOREPLACE    (1 << 0)
#define RENAME_EXCHANGE     (1 << 1)
#define RENAME_WHITEOUT     (1 << 2)
