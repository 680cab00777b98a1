// Block device files from ring 3, for tests/system/disks.py. Each mode
// prints one line a test can parse:
//
//   disktest read <dev> <offset> <length>          "sum <dev> <offset> <length> <fnv1a-64 hex>"
//   disktest write <dev> <offset> <length> <seed>  writes pattern(seed) there, flushes
//                                                  (ioctl BLKFLSBUF): "wrote <dev> <offset> <length>"
//   disktest size <dev>                            "size <dev> <bytes>" (lseek SEEK_END)
//   disktest node <dev>                            "node <dev> block <major>:<minor>"
//   disktest errors <dev>                          "ok <check>" / "FAIL <check>" lines
//   disktest mountproc                             mounts proc on /proc (the kshell boot has none)
//
// Exit status 0 on success, 1 on any failure. The pattern and checksum are
// mirrored by the test on the host: byte i of pattern(seed) is
// (i * 131 + seed * 7 + (i >> 9)) & 0xff, where i counts from the start
// of the write.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLKFLSBUF   0x1261
#define BUFFER_SIZE (256L * 1024)

static unsigned char s_buffer[BUFFER_SIZE];
static int s_failures;

static unsigned char pattern_byte(unsigned long long index, unsigned seed)
{
    return (unsigned char)((index * 131 + (unsigned long long)(seed * 7) + (index >> 9)) & 0xff);
}

static unsigned long long fnv1a(unsigned long long hash, const unsigned char* bytes, size_t length)
{
    for (size_t i = 0; i < length; ++i)
        hash = (hash ^ bytes[i]) * 0x100000001b3ull;
    return hash;
}

static int open_device(const char* path, int flags)
{
    int fd = open(path, flags);
    if (fd < 0)
        printf("disktest: cannot open %s: %s\n", path, strerror(errno));
    return fd;
}

static int read_mode(const char* path, long long offset, long long length)
{
    int fd = open_device(path, O_RDONLY);
    if (fd < 0)
        return 1;
    unsigned long long hash = 0xcbf29ce484222325ull;
    long long done = 0;
    while (done < length) {
        size_t want = (size_t)(length - done < BUFFER_SIZE ? length - done : BUFFER_SIZE);
        ssize_t got = pread(fd, s_buffer, want, offset + done);
        if (got <= 0) {
            printf("disktest: pread %s at %lld: %s\n", path, offset + done, got < 0 ? strerror(errno) : "end");
            close(fd);
            return 1;
        }
        hash = fnv1a(hash, s_buffer, (size_t)got);
        done += got;
    }
    close(fd);
    printf("sum %s %lld %lld %016llx\n", path, offset, length, hash);
    return 0;
}

static int write_mode(const char* path, long long offset, long long length, unsigned seed)
{
    int fd = open_device(path, O_WRONLY);
    if (fd < 0)
        return 1;
    if (lseek(fd, offset, SEEK_SET) != offset) {
        printf("disktest: lseek %s: %s\n", path, strerror(errno));
        close(fd);
        return 1;
    }
    long long done = 0;
    while (done < length) {
        size_t chunk = (size_t)(length - done < BUFFER_SIZE ? length - done : BUFFER_SIZE);
        for (size_t i = 0; i < chunk; ++i)
            s_buffer[i] = pattern_byte((unsigned long long)(done + (long long)i), seed);
        ssize_t wrote = write(fd, s_buffer, chunk);
        if (wrote != (ssize_t)chunk) {
            printf("disktest: write %s: %s\n", path, wrote < 0 ? strerror(errno) : "short");
            close(fd);
            return 1;
        }
        done += wrote;
    }
    if (ioctl(fd, BLKFLSBUF, 0) != 0) {
        printf("disktest: BLKFLSBUF %s: %s\n", path, strerror(errno));
        close(fd);
        return 1;
    }
    close(fd);
    printf("wrote %s %lld %lld\n", path, offset, length);
    return 0;
}

static int size_mode(const char* path)
{
    int fd = open_device(path, O_RDONLY);
    if (fd < 0)
        return 1;
    off_t size = lseek(fd, 0, SEEK_END);
    close(fd);
    printf("size %s %lld\n", path, (long long)size);
    return size < 0;
}

static int node_mode(const char* path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        printf("disktest: stat %s: %s\n", path, strerror(errno));
        return 1;
    }
    unsigned long long dev = st.st_rdev;
    unsigned major = (unsigned)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffu));
    unsigned minor = (unsigned)((dev & 0xff) | ((dev >> 12) & ~0xffu));
    printf("node %s %s %u:%u\n", path, S_ISBLK(st.st_mode) ? "block" : "other", major, minor);
    return 0;
}

static void check(const char* what, int ok, int error)
{
    if (ok) {
        printf("ok %s\n", what);
    } else {
        printf("FAIL %s: errno %d (%s)\n", what, error, strerror(error));
        s_failures++;
    }
}

static int errors_mode(const char* path)
{
    int fd = open_device(path, O_RDWR);
    if (fd < 0)
        return 1;
    off_t size = lseek(fd, 0, SEEK_END);
    check("lseek to the end gives the size", size > 0, errno);
    errno = 0;
    check("read at the end gives 0 (EOF)", pread(fd, s_buffer, 512, size) == 0, errno);
    errno = 0;
    ssize_t partial = pread(fd, s_buffer, 4096, size - 100);
    check("read across the end is cut short", partial == 100, errno);
    errno = 0;
    check("write at the end is ENOSPC", pwrite(fd, s_buffer, 512, size) == -1 && errno == ENOSPC, errno);
    errno = 0;
    check("lseek past the end is EINVAL", lseek(fd, size + 1, SEEK_SET) == -1 && errno == EINVAL, errno);
    errno = 0;
    check("lseek before 0 is EINVAL", lseek(fd, -1, SEEK_SET) == -1 && errno == EINVAL, errno);
    errno = 0;
    check("negative pread offset is EINVAL", pread(fd, s_buffer, 512, -512) == -1 && errno == EINVAL, errno);
    errno = 0;
    check("unknown ioctl is ENOTTY", ioctl(fd, 0x12345678, 0) == -1 && errno == ENOTTY, errno);
    close(fd);
    errno = 0;
    check("a disk that is not there is ENOENT", open("/dev/vdz", O_RDONLY) == -1 && errno == ENOENT, errno);
    return s_failures != 0;
}

int main(int argc, char** argv)
{
    if (argc >= 5 && strcmp(argv[1], "read") == 0)
        return read_mode(argv[2], atoll(argv[3]), atoll(argv[4]));
    if (argc >= 6 && strcmp(argv[1], "write") == 0)
        return write_mode(argv[2], atoll(argv[3]), atoll(argv[4]), (unsigned)atoi(argv[5]));
    if (argc >= 3 && strcmp(argv[1], "size") == 0)
        return size_mode(argv[2]);
    if (argc >= 3 && strcmp(argv[1], "node") == 0)
        return node_mode(argv[2]);
    if (argc >= 3 && strcmp(argv[1], "errors") == 0)
        return errors_mode(argv[2]);
    if (argc >= 2 && strcmp(argv[1], "mountproc") == 0) {
        if (mount("proc", "/proc", "proc", 0, NULL) != 0 && errno != EBUSY) {
            printf("disktest: mount proc: %s\n", strerror(errno));
            return 1;
        }
        printf("proc mounted\n");
        return 0;
    }
    printf("usage: disktest read|write|size|node|errors|mountproc ...\n");
    return 2;
}
