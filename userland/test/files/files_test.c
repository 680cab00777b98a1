// The file system calls, one family per argument, each printing what it
// observes: "ok <check>" or "FAIL <check>", then "<family>: <n> failed".
// The same binary runs on the host Linux and on Osprey, and the transcripts
// must be equal (expected/<family>.txt). Nothing printed depends on the
// machine: no inode numbers, times or pids.
//   files_test <family> <scratch directory to create>
// families: open, io, dup, fcntl, getdents, stat
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static int s_failures;

static void check(const char* what, int ok)
{
    printf("%s %s\n", ok ? "ok" : "FAIL", what);
    if (!ok)
        s_failures++;
}

static const char* errno_name(int code)
{
    switch (code) {
    case EBADF:
        return "EBADF";
    case EEXIST:
        return "EEXIST";
    case EFAULT:
        return "EFAULT";
    case EINVAL:
        return "EINVAL";
    case EISDIR:
        return "EISDIR";
    case ELOOP:
        return "ELOOP";
    case ENOENT:
        return "ENOENT";
    case ENOTDIR:
        return "ENOTDIR";
    case ESPIPE:
        return "ESPIPE";
    default:
        return "E?";
    }
}

// An errno check: the call returned -1 with `expected`.
static void check_errno(const char* what, long result, int expected)
{
    int saved = errno;
    char line[160];
    snprintf(line, sizeof(line), "%s: %s", what, errno_name(expected));
    check(line, result == -1 && saved == expected);
}

static int write_file(const char* path, const char* text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    ssize_t length = (ssize_t)strlen(text);
    int ok = write(fd, text, (size_t)length) == length;
    close(fd);
    return ok ? 0 : -1;
}

static void test_open(void)
{
    check("create with O_CREAT|O_EXCL", close(open("a", O_WRONLY | O_CREAT | O_EXCL, 0644)) == 0);
    errno = 0;
    check_errno("O_CREAT|O_EXCL on an existing file", open("a", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
    errno = 0;
    check_errno("open a missing file", open("missing", O_RDONLY), ENOENT);
    errno = 0;
    check_errno("O_DIRECTORY on a file", open("a", O_RDONLY | O_DIRECTORY), ENOTDIR);
    errno = 0;
    check_errno("a file as a directory in a path", open("a/b", O_RDONLY), ENOTDIR);
    errno = 0;
    check_errno("write to a directory", open(".", O_WRONLY), EISDIR);
    int fd = open(".", O_RDONLY | O_DIRECTORY);
    check("open a directory O_RDONLY|O_DIRECTORY", fd >= 0);
    char byte;
    errno = 0;
    check_errno("read from a directory", read(fd, &byte, 1), EISDIR);
    close(fd);

    write_file("a", "hello");
    fd = open("a", O_WRONLY | O_APPEND);
    write(fd, " world", 6);
    close(fd);
    char buffer[32] = "";
    fd = open("a", O_RDONLY);
    check("O_APPEND appends", read(fd, buffer, sizeof(buffer)) == 11 && memcmp(buffer, "hello world", 11) == 0);
    errno = 0;
    check_errno("write to an O_RDONLY fd", write(fd, "x", 1), EBADF);
    close(fd);
    fd = open("a", O_WRONLY);
    errno = 0;
    check_errno("read from an O_WRONLY fd", read(fd, buffer, 1), EBADF);
    close(fd);
    fd = open("a", O_RDWR | O_TRUNC);
    struct stat info;
    fstat(fd, &info);
    check("O_TRUNC empties the file", info.st_size == 0);
    close(fd);

    mkdir("dir", 0755);
    int directory = open("dir", O_RDONLY | O_DIRECTORY);
    fd = openat(directory, "inner", O_WRONLY | O_CREAT, 0600);
    check("openat relative to a directory fd", fd >= 0);
    close(fd);
    check("the file is in that directory", access("dir/inner", F_OK) == 0);
    fd = openat(AT_FDCWD, "dir/inner", O_RDONLY);
    check("openat AT_FDCWD", fd >= 0);
    close(fd);
    errno = 0;
    check_errno("openat with a file fd as the directory", openat(open("a", O_RDONLY), "x", O_RDONLY), ENOTDIR);
    errno = 0;
    check_errno("openat with a bad fd", openat(9999, "x", O_RDONLY), EBADF);
    fd = openat(directory, "/", O_RDONLY | O_DIRECTORY);
    check("openat with an absolute path ignores the fd", fd >= 0);
    close(fd);
    close(directory);

    symlink("a", "link");
    errno = 0;
    check_errno("O_NOFOLLOW on a symlink", open("link", O_RDONLY | O_NOFOLLOW), ELOOP);
    fd = open("link", O_RDONLY);
    check("a symlink is followed", fd >= 0);
    close(fd);
    errno = 0;
    check_errno("an empty path", open("", O_RDONLY), ENOENT);
    errno = 0;
    check_errno("a bad path pointer", open((const char*)8, O_RDONLY), EFAULT);
    fd = open("a", O_RDONLY | O_CLOEXEC);
    check("O_CLOEXEC sets FD_CLOEXEC", fcntl(fd, F_GETFD) == FD_CLOEXEC);
    close(fd);
    errno = 0;
    check_errno("close of a closed fd", close(fd), EBADF);
}

static void test_io(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    check("write 10 bytes", write(fd, "0123456789", 10) == 10);
    check("lseek SEEK_CUR reports 10", lseek(fd, 0, SEEK_CUR) == 10);
    check("lseek SEEK_SET 2", lseek(fd, 2, SEEK_SET) == 2);
    char buffer[16] = "";
    check("read 3 after the seek", read(fd, buffer, 3) == 3 && memcmp(buffer, "234", 3) == 0);
    check("lseek SEEK_END -1", lseek(fd, -1, SEEK_END) == 9);
    check("read the last byte", read(fd, buffer, 5) == 1 && buffer[0] == '9');
    check("read at the end: 0", read(fd, buffer, 5) == 0);
    errno = 0;
    check_errno("lseek to a negative offset", lseek(fd, -100, SEEK_SET), EINVAL);
    errno = 0;
    check_errno("lseek with a bad whence", lseek(fd, 0, 42), EINVAL);
    check("lseek past the end", lseek(fd, 20, SEEK_SET) == 20);
    check("write there makes a hole", write(fd, "X", 1) == 1);
    struct stat info;
    fstat(fd, &info);
    check("the size is 21", info.st_size == 21);
    memset(buffer, 'z', sizeof(buffer));
    check("pread the hole: zeros", pread(fd, buffer, 3, 10) == 3 && buffer[0] == 0 && buffer[2] == 0);
    check("pread leaves the offset", lseek(fd, 0, SEEK_CUR) == 21);
    check("pwrite at 0", pwrite(fd, "AB", 2, 0) == 2);
    check("pwrite leaves the offset", lseek(fd, 0, SEEK_CUR) == 21);
    check("pread sees it", pread(fd, buffer, 4, 0) == 4 && memcmp(buffer, "AB23", 4) == 0);
    errno = 0;
    check_errno("pread at a negative offset", pread(fd, buffer, 1, -1), EINVAL);

    struct iovec parts[3];
    char first[4] = "", second[3] = "", third[30] = "";
    parts[0] = (struct iovec) { first, sizeof(first) };
    parts[1] = (struct iovec) { second, sizeof(second) };
    parts[2] = (struct iovec) { third, sizeof(third) };
    lseek(fd, 0, SEEK_SET);
    check("readv fills in order",
        readv(fd, parts, 3) == 21 && memcmp(first, "AB23", 4) == 0 && memcmp(second, "456", 3) == 0 && third[0] == '7');
    lseek(fd, 0, SEEK_SET);
    ftruncate(fd, 0);
    struct iovec out[2] = { { "abc", 3 }, { "defg", 4 } };
    check("writev gathers", writev(fd, out, 2) == 7);
    check("pread of what writev wrote", pread(fd, buffer, 7, 0) == 7 && memcmp(buffer, "abcdefg", 7) == 0);
    errno = 0;
    check_errno("readv with a negative count", readv(fd, parts, -1), EINVAL);
    struct iovec empty = { buffer, 0 };
    check("writev of nothing: 0", writev(fd, &empty, 1) == 0);
    lseek(fd, 0, SEEK_SET);
    errno = 0;
    check_errno("read into a bad buffer", read(fd, (void*)8, 4), EFAULT);
    errno = 0;
    check_errno("read from a bad fd", read(9999, buffer, 1), EBADF);
    check("read of 0 bytes", read(fd, buffer, 0) == 0);
    close(fd);

    int pipe_fds[2];
    pipe(pipe_fds);
    errno = 0;
    check_errno("lseek on a pipe", lseek(pipe_fds[0], 0, SEEK_SET), ESPIPE);
    errno = 0;
    check_errno("pread on a pipe", pread(pipe_fds[0], buffer, 1, 0), ESPIPE);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
}

static void test_dup(void)
{
    write_file("d", "abcdef");
    int fd = open("d", O_RDONLY);
    int copy = dup(fd);
    check("dup gives the lowest free fd", copy == fd + 1);
    char byte;
    read(fd, &byte, 1);
    check("dup shares the offset", lseek(copy, 0, SEEK_CUR) == 1);
    check("dup2 to a chosen fd", dup2(fd, 50) == 50);
    check("dup2 onto itself returns it", dup2(fd, fd) == fd);
    errno = 0;
    check_errno("dup2 from a bad fd", dup2(9999, 51), EBADF);
    errno = 0;
    check_errno("dup3 onto itself", dup3(fd, fd, 0), EINVAL);
    check("dup3 with O_CLOEXEC", dup3(fd, 52, O_CLOEXEC) == 52 && fcntl(52, F_GETFD) == FD_CLOEXEC);
    errno = 0;
    check_errno("dup3 with bad flags", dup3(fd, 53, 1), EINVAL);
    check("dup2 clears FD_CLOEXEC", dup2(fd, 52) == 52 && fcntl(52, F_GETFD) == 0);
    int other = open("d", O_RDONLY);
    check("dup2 replaces an open fd", dup2(fd, other) == other && lseek(other, 0, SEEK_CUR) == 1);
    errno = 0;
    check_errno("dup of a bad fd", dup(9999), EBADF);
    errno = 0;
    check_errno("dup2 to a negative fd", dup2(fd, -1), EBADF);
    close(fd);
    check("a duplicate outlives the original", read(copy, &byte, 1) == 1 && byte == 'b');
    close(copy);
    close(50);
    close(52);
    close(other);
}

static void test_fcntl(void)
{
    write_file("c", "x");
    int fd = open("c", O_RDWR);
    check("F_GETFD: 0", fcntl(fd, F_GETFD) == 0);
    check("F_SETFD FD_CLOEXEC", fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
    check("F_GETFL: O_RDWR", (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
    check("F_SETFL O_APPEND|O_NONBLOCK", fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK) == 0);
    int flags = fcntl(fd, F_GETFL);
    check("F_GETFL shows them", (flags & O_APPEND) && (flags & O_NONBLOCK));
    check("F_SETFL leaves the access mode",
        fcntl(fd, F_SETFL, O_WRONLY) == 0 && (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
    int low = fcntl(fd, F_DUPFD, 40);
    check("F_DUPFD at or above 40", low == 40 && fcntl(low, F_GETFD) == 0);
    int cloexec = fcntl(fd, F_DUPFD_CLOEXEC, 40);
    check("F_DUPFD_CLOEXEC: next free, close-on-exec", cloexec == 41 && fcntl(cloexec, F_GETFD) == FD_CLOEXEC);
    errno = 0;
    check_errno("F_DUPFD with a negative minimum", fcntl(fd, F_DUPFD, -1), EINVAL);
    errno = 0;
    check_errno("fcntl on a bad fd", fcntl(9999, F_GETFD), EBADF);
    errno = 0;
    check_errno("an unknown command", fcntl(fd, 99999), EINVAL);
    close(fd);
    close(low);
    close(cloexec);
}

// getdents64 directly: the kernel's struct linux_dirent64.
struct kernel_dirent {
    unsigned long long inode;
    long long offset;
    unsigned short length;
    unsigned char type;
    char name[];
};

static int compare_names(const void* a, const void* b)
{
    return strcmp(*(const char* const*)a, *(const char* const*)b);
}

static void test_getdents(void)
{
    mkdir("g", 0755);
    write_file("g/file1", "1");
    write_file("g/file2", "22");
    mkdir("g/sub", 0755);
    symlink("file1", "g/link");
    int fd = open("g", O_RDONLY | O_DIRECTORY);
    char buffer[4096];
    char names[16][32];
    char* sorted[16];
    unsigned char types[16];
    int count = 0;
    long got;
    while ((got = syscall(SYS_getdents64, fd, buffer, sizeof(buffer))) > 0) {
        for (long offset = 0; offset < got;) {
            struct kernel_dirent* entry = (struct kernel_dirent*)(buffer + offset);
            if (count < 16) {
                snprintf(names[count], sizeof(names[count]), "%s", entry->name);
                types[count] = entry->type;
                sorted[count] = names[count];
                count++;
            }
            offset += entry->length;
        }
    }
    check("getdents64 ends with 0", got == 0);
    qsort(sorted, (size_t)count, sizeof(sorted[0]), compare_names);
    for (int i = 0; i < count; i++) {
        int index = (int)((sorted[i] - names[0]) / (long)sizeof(names[0]));
        printf("entry %s type %d\n", sorted[i], types[index]);
    }
    check("six entries with . and ..", count == 6);
    check("getdents64 again at the end: 0", syscall(SYS_getdents64, fd, buffer, sizeof(buffer)) == 0);
    lseek(fd, 0, SEEK_SET);
    check("after rewinding, entries again", syscall(SYS_getdents64, fd, buffer, sizeof(buffer)) > 0);
    lseek(fd, 0, SEEK_SET);
    errno = 0;
    check_errno("a buffer too small for one entry", syscall(SYS_getdents64, fd, buffer, 8), EINVAL);
    errno = 0;
    check_errno("a bad buffer", syscall(SYS_getdents64, fd, (void*)8, sizeof(buffer)), EFAULT);
    close(fd);
    fd = open("g/file1", O_RDONLY);
    errno = 0;
    check_errno("getdents64 on a file", syscall(SYS_getdents64, fd, buffer, sizeof(buffer)), ENOTDIR);
    close(fd);
    errno = 0;
    check_errno("getdents64 on a bad fd", syscall(SYS_getdents64, 9999, buffer, sizeof(buffer)), EBADF);

    DIR* directory = opendir("g");
    int seen = 0;
    while (readdir(directory))
        seen++;
    closedir(directory);
    check("readdir sees the same six", seen == 6);
}

static void test_stat(void)
{
    write_file("s", "12345");
    symlink("s", "sl");
    mkdir("sd", 0750);
    struct stat info;
    check("stat of a file", stat("s", &info) == 0 && S_ISREG(info.st_mode) && info.st_size == 5 && info.st_nlink == 1);
    check("the mode bits", (info.st_mode & 07777) == 0644);
    struct stat by_fd;
    int fd = open("s", O_RDONLY);
    check("fstat agrees with stat",
        fstat(fd, &by_fd) == 0 && by_fd.st_ino == info.st_ino && by_fd.st_dev == info.st_dev && by_fd.st_size == 5);
    close(fd);
    check("stat follows a symlink", stat("sl", &by_fd) == 0 && S_ISREG(by_fd.st_mode) && by_fd.st_ino == info.st_ino);
    check("lstat does not", lstat("sl", &by_fd) == 0 && S_ISLNK(by_fd.st_mode) && by_fd.st_size == 1);
    check("fstatat AT_SYMLINK_NOFOLLOW",
        fstatat(AT_FDCWD, "sl", &by_fd, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(by_fd.st_mode));
    check("stat of a directory", stat("sd", &info) == 0 && S_ISDIR(info.st_mode) && (info.st_mode & 07777) == 0750);
    int directory = open("sd", O_RDONLY | O_DIRECTORY);
    write_file("sd/x", "");
    check("fstatat relative to a directory fd", fstatat(directory, "x", &info, 0) == 0 && info.st_size == 0);
    check("fstatat AT_EMPTY_PATH is fstat", fstatat(directory, "", &info, AT_EMPTY_PATH) == 0 && S_ISDIR(info.st_mode));
    errno = 0;
    check_errno("fstatat an empty path without AT_EMPTY_PATH", fstatat(directory, "", &info, 0), ENOENT);
    errno = 0;
    check_errno("fstatat with bad flags", fstatat(directory, "x", &info, 0x12345), EINVAL);
    close(directory);
    errno = 0;
    check_errno("stat of a missing file", stat("nothing", &info), ENOENT);
    errno = 0;
    check_errno("stat through a file", stat("s/x", &info), ENOTDIR);
    errno = 0;
    check_errno("stat into a bad buffer", stat("s", (struct stat*)8), EFAULT);
    errno = 0;
    check_errno("fstat of a bad fd", fstat(9999, &info), EBADF);
    int pipe_fds[2];
    pipe(pipe_fds);
    check("fstat of a pipe: FIFO", fstat(pipe_fds[0], &info) == 0 && S_ISFIFO(info.st_mode));
    close(pipe_fds[0]);
    close(pipe_fds[1]);
}

int main(int argc, char** argv)
{
    if (argc != 3 || mkdir(argv[2], 0755) != 0 || chdir(argv[2]) != 0) {
        fprintf(stderr, "usage: files_test open|io|dup|fcntl|getdents|stat <scratch directory to create>\n");
        return 2;
    }
    const char* family = argv[1];
    if (strcmp(family, "open") == 0)
        test_open();
    else if (strcmp(family, "io") == 0)
        test_io();
    else if (strcmp(family, "dup") == 0)
        test_dup();
    else if (strcmp(family, "fcntl") == 0)
        test_fcntl();
    else if (strcmp(family, "getdents") == 0)
        test_getdents();
    else if (strcmp(family, "stat") == 0)
        test_stat();
    else {
        fprintf(stderr, "files_test: unknown family %s\n", family);
        return 2;
    }
    printf("%s: %d failed\n", family, s_failures);
    return s_failures ? 1 : 0;
}
