// mount(2) and umount2(2) as Linux answers them, run as root from the shell
// (tests/system/userland.py runs /test/mount_test). Prints "ok <check>" or
// "FAIL <check>: <details>" per check and exits with the number of failures.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static int s_failures;

static void check(const char* what, int ok, int error)
{
    if (ok) {
        printf("ok %s\n", what);
    } else {
        printf("FAIL %s: errno %d (%s)\n", what, error, strerror(error));
        s_failures++;
    }
}

// Checks that `result` is -1 with errno `expected`.
static void expect_error(const char* what, int result, int expected)
{
    int error = errno;
    check(what, result == -1 && error == expected, result == -1 ? error : 0);
}

static void expect_success(const char* what, int result)
{
    check(what, result == 0, errno);
}

int main(void)
{
    const char* point = "/tmp/mount_test";
    mkdir(point, 0755);
    int file = open("/tmp/mount_test_file", O_CREAT | O_WRONLY, 0644);
    close(file);

    expect_error("missing target is ENOENT", mount("none", "/tmp/no/such", "tmpfs", 0, NULL), ENOENT);
    expect_error("file target is ENOTDIR", mount("none", "/tmp/mount_test_file", "tmpfs", 0, NULL), ENOTDIR);
    expect_error("unknown type is ENODEV", mount("none", point, "nosuchfs", 0, NULL), ENODEV);
    expect_error("null type is EFAULT", mount("none", point, NULL, 0, NULL), EFAULT);
    expect_error("umount of a plain directory is EINVAL", umount2(point, 0), EINVAL);
    expect_error("umount with unknown flags is EINVAL", umount2(point, 0x100), EINVAL);

    struct stat outer;
    struct stat inner;
    stat(point, &outer);
    expect_success("tmpfs mounts", mount("none", point, "tmpfs", 0, NULL));
    stat(point, &inner);
    check("the mount point shows the new filesystem", inner.st_dev != outer.st_dev && (inner.st_mode & 07777) == 01777,
        0);
    file = open("/tmp/mount_test/inside", O_CREAT | O_WRONLY, 0644);
    check("files can be made in it", file >= 0, errno);
    expect_error("umount while a file is open is EBUSY", umount2(point, 0), EBUSY);
    close(file);
    chdir(point);
    expect_error("umount while it is the cwd is EBUSY", umount2(point, 0), EBUSY);
    chdir("/");
    expect_success("umount succeeds when unused", umount2(point, 0));
    check("its files are gone with it", access("/tmp/mount_test/inside", F_OK) == -1 && errno == ENOENT, errno);

    expect_success("proc mounts elsewhere too", mount("proc", point, "proc", 0, NULL));
    char link[32] = { 0 };
    char expected[32];
    snprintf(expected, sizeof(expected), "%d", getpid());
    ssize_t length = readlink("/tmp/mount_test/self", link, sizeof(link) - 1);
    check("its self link names the caller", length > 0 && strcmp(link, expected) == 0, errno);
    expect_success("and unmounts", umount2(point, 0));

    expect_success("devtmpfs over the boot /dev succeeds", mount("devtmpfs", "/dev", "devtmpfs", 0, NULL));
    expect_error("devtmpfs elsewhere is EBUSY (one instance)", mount("devtmpfs", point, "devtmpfs", 0, NULL), EBUSY);
    expect_error("umount of / is EBUSY", umount2("/", 0), EBUSY);

    rmdir(point);
    unlink("/tmp/mount_test_file");
    printf("mount: %d failed\n", s_failures);
    return s_failures;
}
