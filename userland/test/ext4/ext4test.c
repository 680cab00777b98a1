// ext4 checks from ring 3, for tests/system/ext4_disks.py:
//   ext4test sum <file>...          prints "sum <file> <size> <fnv1a-64 hex>"
//   ext4test fill <file> <bytes> <seed>  creates <file> holding the pattern
//                                   byte i = (i * 131 + seed * 7 + (i >> 9)) & 0xff
//   ext4test walk <dir>             visits the whole tree below <dir>: lstat of
//                                   every entry, readlink of links, every file
//                                   read to its end (at most 16 MiB each); prints
//                                   the counts and every error, and exits 0 when
//                                   it got to the end (errors are the disk's)
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK        65536
#define WALK_DEPTH   32
#define WALK_ENTRIES 4000
#define WALK_READ    (16L * 1024 * 1024)

static unsigned char s_buffer[CHUNK];

struct walk_counts {
    long entries;
    long files;
    long long bytes;
    long errors;
};

static int sum_file(const char* path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("error %s: open: %s\n", path, strerror(errno));
        return 1;
    }
    uint64_t hash = 0xcbf29ce484222325ull;
    long long size = 0;
    for (;;) {
        ssize_t got = read(fd, s_buffer, CHUNK);
        if (got < 0) {
            printf("error %s: read: %s\n", path, strerror(errno));
            close(fd);
            return 1;
        }
        if (got == 0)
            break;
        for (ssize_t i = 0; i < got; ++i)
            hash = (hash ^ s_buffer[i]) * 0x100000001b3ull;
        size += got;
    }
    close(fd);
    printf("sum %s %lld %016llx\n", path, size, (unsigned long long)hash);
    return 0;
}

static int fill_file(const char* path, long long bytes, int seed)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        printf("error %s: open: %s\n", path, strerror(errno));
        return 1;
    }
    for (long long done = 0; done < bytes;) {
        long long count = bytes - done < CHUNK ? bytes - done : CHUNK;
        for (long long i = 0; i < count; ++i) {
            long long at = done + i;
            s_buffer[i] = (unsigned char)((at * 131 + (long long)(seed * 7) + (at >> 9)) & 0xff);
        }
        if (write(fd, s_buffer, (size_t)count) != count) {
            printf("error %s: write: %s\n", path, strerror(errno));
            close(fd);
            return 1;
        }
        done += count;
    }
    if (close(fd) != 0) {
        printf("error %s: close: %s\n", path, strerror(errno));
        return 1;
    }
    printf("filled %s %lld\n", path, bytes);
    return 0;
}

static void walk_error(struct walk_counts* counts, const char* path, const char* what)
{
    ++counts->errors;
    printf("walk error %s: %s: %s\n", path, what, strerror(errno));
}

static void read_whole(struct walk_counts* counts, const char* path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        walk_error(counts, path, "open");
        return;
    }
    ++counts->files;
    for (long long total = 0; total < WALK_READ;) {
        ssize_t got = read(fd, s_buffer, CHUNK);
        if (got < 0) {
            walk_error(counts, path, "read");
            break;
        }
        if (got == 0)
            break;
        total += got;
        counts->bytes += got;
    }
    close(fd);
}

static void walk(struct walk_counts* counts, const char* directory, int depth)
{
    DIR* stream = opendir(directory);
    if (!stream) {
        walk_error(counts, directory, "opendir");
        return;
    }
    struct dirent* entry;
    while ((entry = readdir(stream)) && counts->entries < WALK_ENTRIES) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        ++counts->entries;
        char path[1024];
        if (snprintf(path, sizeof path, "%s/%s", directory, entry->d_name) >= (int)sizeof path)
            continue;
        struct stat status;
        if (lstat(path, &status) != 0) {
            walk_error(counts, path, "lstat");
            continue;
        }
        if (S_ISDIR(status.st_mode)) {
            if (depth < WALK_DEPTH)
                walk(counts, path, depth + 1);
        } else if (S_ISLNK(status.st_mode)) {
            char target[256];
            if (readlink(path, target, sizeof target) < 0)
                walk_error(counts, path, "readlink");
        } else if (S_ISREG(status.st_mode)) {
            read_whole(counts, path);
        }
    }
    closedir(stream);
}

int main(int argc, char** argv)
{
    if (argc >= 3 && strcmp(argv[1], "sum") == 0) {
        int status = 0;
        for (int i = 2; i < argc; ++i)
            status |= sum_file(argv[i]);
        return status;
    }
    if (argc == 5 && strcmp(argv[1], "fill") == 0)
        return fill_file(argv[2], atoll(argv[3]), atoi(argv[4]));
    if (argc == 3 && strcmp(argv[1], "walk") == 0) {
        struct walk_counts counts = { 0, 0, 0, 0 };
        walk(&counts, argv[2], 0);
        printf("walked %s: %ld entries, %ld files, %lld bytes, %ld errors\n", argv[2], counts.entries, counts.files,
            counts.bytes, counts.errors);
        return 0;
    }
    printf("usage: ext4test sum <file>... | fill <file> <bytes> <seed> | walk <dir>\n");
    return 2;
}
