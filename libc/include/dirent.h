#pragma once

// Directory streams over getdents64(2). struct dirent is the kernel's
// linux_dirent64 record (d_ino, d_off, d_reclen, d_type, d_name), which
// readdir returns in place from its buffer; d_name is NUL-terminated there.

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dirent {
    ino_t d_ino;
    off_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[256];
};
#define dirent64   dirent

#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_BLK     6
#define DT_REG     8
#define DT_LNK     10
#define DT_SOCK    12

typedef struct OspreyDirectory DIR;

DIR* opendir(const char* path);
DIR* fdopendir(int fd);
struct dirent* readdir(DIR* directory);
int closedir(DIR* directory);
void rewinddir(DIR* directory);
int dirfd(DIR* directory);

#ifdef __cplusplus
}
#endif
