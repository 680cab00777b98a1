#pragma once

// The C limits come from the compiler's own limits.h; this adds the POSIX ones.

#include_next <limits.h>

#define PATH_MAX      4096
#define NAME_MAX      255
#define PIPE_BUF      4096
#define ARG_MAX       131072
#define NGROUPS_MAX   65536
#define HOST_NAME_MAX 64
#define LINE_MAX      2048
#define IOV_MAX       1024
#define SSIZE_MAX     LONG_MAX
#define PAGE_SIZE     4096
#define PAGESIZE      4096
