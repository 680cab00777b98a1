// Directory streams on getdents64(2). A DIR owns the directory's fd and a
// buffer of linux_dirent64 records that readdir hands out in place; each
// record's d_name is NUL-terminated by the kernel, and the record layout is
// struct dirent's (<dirent.h>).

#include "../internal/syscall.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

struct OspreyDirectory {
    int fd;
    size_t position; // next record in buffer
    size_t end;      // bytes of records in buffer
    _Alignas(8) char buffer[4096];
};

DIR* fdopendir(int fd)
{
    struct stat status;
    if (fstat(fd, &status) < 0)
        return NULL;
    if (!S_ISDIR(status.st_mode)) {
        errno = ENOTDIR;
        return NULL;
    }
    DIR* directory = malloc(sizeof(DIR));
    if (!directory)
        return NULL;
    directory->fd = fd;
    directory->position = directory->end = 0;
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    return directory;
}

DIR* opendir(const char* path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    DIR* directory = fdopendir(fd);
    if (!directory)
        close(fd);
    return directory;
}

struct dirent* readdir(DIR* directory)
{
    if (directory->position >= directory->end) {
        long count = SYSCALL3(getdents64, directory->fd, directory->buffer, sizeof(directory->buffer));
        if (count <= 0)
            return NULL; // end of directory (errno unchanged) or error (errno set)
        directory->position = 0;
        directory->end = (size_t)count;
    }
    struct dirent* entry = (struct dirent*)(directory->buffer + directory->position);
    directory->position += entry->d_reclen;
    return entry;
}

int closedir(DIR* directory)
{
    int result = close(directory->fd);
    free(directory);
    return result;
}

void rewinddir(DIR* directory)
{
    lseek(directory->fd, 0, SEEK_SET);
    directory->position = directory->end = 0;
}

int dirfd(DIR* directory)
{
    return directory->fd;
}
