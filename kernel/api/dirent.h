#pragma once

/*
 * The record getdents64(2) writes (struct linux_dirent64, fs/readdir.c) and
 * the d_type values (include/linux/fs_types.h, DT_*). Plain C, shared with libc.
 * Records are packed back to back, each d_reclen bytes long and 8-byte aligned;
 * d_name is NUL-terminated; d_off is the position to resume from after it.
 */
#include <stddef.h>
#include <stdint.h>

#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_BLK     6
#define DT_REG     8
#define DT_LNK     10
#define DT_SOCK    12
#define DT_WHT     14

/* Linux's names, part of the ABI. */
/* NOLINTBEGIN(readability-identifier-naming) */
struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    uint16_t d_reclen;
    uint8_t d_type;
    char d_name[]; /* NUL-terminated, padded so d_reclen is a multiple of 8 */
};
/* NOLINTEND(readability-identifier-naming) */

#ifdef __cplusplus
static_assert(offsetof(struct linux_dirent64, d_off) == 8, "d_off");
static_assert(offsetof(struct linux_dirent64, d_reclen) == 16, "d_reclen");
static_assert(offsetof(struct linux_dirent64, d_type) == 18, "d_type");
static_assert(offsetof(struct linux_dirent64, d_name) == 19, "d_name");
#else
_Static_assert(offsetof(struct linux_dirent64, d_name) == 19, "d_name");
#endif
