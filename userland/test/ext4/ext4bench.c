// ext4 throughput from ring 3:
//   ext4bench <device> <mount point> <name> <MiB> <files>
// mounts <device> (ext4) on <mount point> if it is not mounted there, then in
// a fresh directory bench.<name> there:
//   - writes a <MiB> MiB file in 1 MiB write() calls and fsyncs it;
//   - unmounts and mounts again (so nothing is cached) and reads it back;
//   - creates <files> empty files in one directory, lists it as `ls -l` does
//     (readdir, then lstat of each entry), and deletes them;
// removes what it made, and prints (the seq_* lines only if <MiB> > 0; with
// 0 and a mounted tmpfs such as /tmp it measures the other filesystem's
// small-file figures for comparison)
//   BENCH ext4_<name>_seq_write <MB/s> MB/s       (MB = 10^6 bytes)
//   BENCH ext4_<name>_seq_read <MB/s> MB/s
//   BENCH ext4_<name>_create <ops/s> ops/s
//   BENCH ext4_<name>_ls_l <ms> ms
//   BENCH ext4_<name>_delete <ops/s> ops/s
// The filesystem stays mounted.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (1024L * 1024)

static unsigned char s_buffer[CHUNK];

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double per_second(double count, double seconds)
{
    return seconds > 0 ? count / seconds : 0.0;
}

static int fail(const char* what, const char* path)
{
    printf("ext4bench: %s %s: %s\n", what, path, strerror(errno));
    return 1;
}

static int remount(const char* device, const char* mount_point)
{
    if (umount(mount_point) != 0)
        return fail("umount", mount_point);
    if (mount(device, mount_point, "ext4", 0, NULL) != 0)
        return fail("mount", device);
    return 0;
}

static int sequential(
    const char* device, const char* mount_point, const char* directory, const char* name, long long mib)
{
    char path[512];
    snprintf(path, sizeof path, "%s/big", directory);
    for (size_t i = 0; i < CHUNK; ++i)
        s_buffer[i] = (unsigned char)(i * 7 + 3);

    double start = now();
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return fail("open", path);
    for (long long i = 0; i < mib; ++i) {
        if (write(fd, s_buffer, CHUNK) != CHUNK)
            return fail("write", path);
    }
    if (fsync(fd) != 0)
        return fail("fsync", path);
    close(fd);
    printf("BENCH ext4_%s_seq_write %.2f MB/s\n", name, per_second((double)mib * CHUNK / 1e6, now() - start));

    if (remount(device, mount_point) != 0)
        return 1;
    start = now();
    fd = open(path, O_RDONLY);
    if (fd < 0)
        return fail("open", path);
    for (long long i = 0; i < mib; ++i) {
        if (read(fd, s_buffer, CHUNK) != CHUNK)
            return fail("read", path);
        if (s_buffer[CHUNK - 1] != (unsigned char)((CHUNK - 1) * 7 + 3)) {
            printf("ext4bench: %s: wrong data in MiB %lld\n", path, i);
            return 1;
        }
    }
    close(fd);
    printf("BENCH ext4_%s_seq_read %.2f MB/s\n", name, per_second((double)mib * CHUNK / 1e6, now() - start));
    if (unlink(path) != 0)
        return fail("unlink", path);
    return 0;
}

static int small_files(const char* directory, const char* name, long files)
{
    char many[512];
    snprintf(many, sizeof many, "%s/many", directory);
    if (mkdir(many, 0755) != 0)
        return fail("mkdir", many);
    char path[600];
    double start = now();
    for (long i = 0; i < files; ++i) {
        snprintf(path, sizeof path, "%s/file%06ld", many, i);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0)
            return fail("create", path);
        close(fd);
    }
    printf("BENCH ext4_%s_create %.0f ops/s\n", name, per_second((double)files, now() - start));

    start = now();
    DIR* stream = opendir(many);
    if (!stream)
        return fail("opendir", many);
    long listed = 0;
    struct dirent* entry;
    while ((entry = readdir(stream))) {
        snprintf(path, sizeof path, "%s/%s", many, entry->d_name);
        struct stat status;
        if (lstat(path, &status) != 0)
            return fail("lstat", path);
        ++listed;
    }
    closedir(stream);
    printf("BENCH ext4_%s_ls_l %.1f ms\n", name, (now() - start) * 1000.0);
    if (listed != files + 2) {
        printf("ext4bench: %s lists %ld entries, expected %ld\n", many, listed, files + 2);
        return 1;
    }

    start = now();
    for (long i = 0; i < files; ++i) {
        snprintf(path, sizeof path, "%s/file%06ld", many, i);
        if (unlink(path) != 0)
            return fail("unlink", path);
    }
    printf("BENCH ext4_%s_delete %.0f ops/s\n", name, per_second((double)files, now() - start));
    if (rmdir(many) != 0)
        return fail("rmdir", many);
    return 0;
}

int main(int argc, char** argv)
{
    if (argc != 6) {
        printf("usage: ext4bench <device> <mount point> <name> <MiB> <files>\n");
        return 2;
    }
    const char* device = argv[1];
    const char* mount_point = argv[2];
    const char* name = argv[3];
    long long mib = atoll(argv[4]);
    long files = atol(argv[5]);

    struct stat point;
    struct stat parent;
    char above[512];
    snprintf(above, sizeof above, "%s/..", mount_point);
    if (stat(mount_point, &point) != 0 || stat(above, &parent) != 0)
        return fail("stat", mount_point);
    if (point.st_dev == parent.st_dev && mount(device, mount_point, "ext4", 0, NULL) != 0)
        return fail("mount", device);

    char directory[512];
    snprintf(directory, sizeof directory, "%s/bench.%s", mount_point, name);
    if (mkdir(directory, 0755) != 0)
        return fail("mkdir", directory);
    if (mib > 0 && sequential(device, mount_point, directory, name, mib) != 0)
        return 1;
    if (small_files(directory, name, files) != 0)
        return 1;
    if (rmdir(directory) != 0)
        return fail("rmdir", directory);
    sync();
    return 0;
}
