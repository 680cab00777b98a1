// Raw sequential throughput of a block device file from ring 3:
//   diskbench <dev> <name> <MiB>
// writes <MiB> MiB from offset 0 in 1 MiB write() calls, flushes (ioctl
// BLKFLSBUF), then reads them back the same way, and prints
//   BENCH disk_<name>_seq_write <MB/s> MB/s
//   BENCH disk_<name>_seq_read <MB/s> MB/s
// (MB = 10^6 bytes). It overwrites the start of <dev>: give it a scratch
// partition. There is no cache between the file and the device, so the
// read measures the device path.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define BLKFLSBUF 0x1261
#define CHUNK     (1024L * 1024)

static unsigned char s_buffer[CHUNK];

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(const char* name, const char* what, long long bytes, double seconds)
{
    double rate = seconds > 0 ? (double)bytes / 1e6 / seconds : 0.0;
    printf("BENCH disk_%s_seq_%s %.2f MB/s\n", name, what, rate);
}

int main(int argc, char** argv)
{
    if (argc < 4) {
        printf("usage: diskbench <dev> <name> <MiB>\n");
        return 2;
    }
    const char* path = argv[1];
    const char* name = argv[2];
    long long mib = atoll(argv[3]);
    int fd = open(path, O_RDWR);
    if (fd < 0) {
        printf("diskbench: cannot open %s: %s\n", path, strerror(errno));
        return 1;
    }
    for (size_t i = 0; i < CHUNK; ++i)
        s_buffer[i] = (unsigned char)(i * 7);

    double start = now();
    for (long long i = 0; i < mib; ++i) {
        if (write(fd, s_buffer, CHUNK) != CHUNK) {
            printf("diskbench: write: %s\n", strerror(errno));
            return 1;
        }
    }
    if (ioctl(fd, BLKFLSBUF, 0) != 0) {
        printf("diskbench: flush: %s\n", strerror(errno));
        return 1;
    }
    report(name, "write", mib * CHUNK, now() - start);

    if (lseek(fd, 0, SEEK_SET) != 0)
        return 1;
    start = now();
    for (long long i = 0; i < mib; ++i) {
        if (read(fd, s_buffer, CHUNK) != CHUNK) {
            printf("diskbench: read: %s\n", strerror(errno));
            return 1;
        }
    }
    report(name, "read", mib * CHUNK, now() - start);
    close(fd);
    return 0;
}
