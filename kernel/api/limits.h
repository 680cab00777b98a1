#pragma once

/*
 * Linux limits on names and paths (include/uapi/linux/limits.h) and the
 * symlink hop limit (include/linux/namei.h MAXSYMLINKS). Plain C, shared
 * with libc.
 */

#define NAME_MAX    255  /* bytes in a path component, without the NUL */
#define PATH_MAX    4096 /* bytes in a path, with the NUL */
#define MAXSYMLINKS 40   /* symbolic links followed in one resolution */
