// perror, remove, rename.

#include "../internal/syscall.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void perror(const char* prefix)
{
    const char* message = strerror(errno);
    if (prefix && *prefix)
        fprintf(stderr, "%s: %s\n", prefix, message);
    else
        fprintf(stderr, "%s\n", message);
}

int remove(const char* path)
{
    if (unlink(path) == 0)
        return 0;
    if (errno != EISDIR)
        return -1;
    return rmdir(path);
}

int rename(const char* old_path, const char* new_path)
{
    return (int)SYSCALL2(rename, old_path, new_path);
}
