#pragma once

// struct statfs as the x86_64 kernel fills it (asm-generic/statfs.h, 120 bytes).

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    int __val[2];
} fsid_t;

struct statfs {
    long f_type;
    long f_bsize;
    unsigned long f_blocks;
    unsigned long f_bfree;
    unsigned long f_bavail;
    unsigned long f_files;
    unsigned long f_ffree;
    fsid_t f_fsid;
    long f_namelen;
    long f_frsize;
    long f_flags;
    long f_spare[4];
};

int statfs(const char* path, struct statfs* result);
int fstatfs(int fd, struct statfs* result);

#ifdef __cplusplus
}
#endif
