// VFS tests, one family per subcommand: paths, perms, mmap, statfs. Every
// line printed is a deterministic observation, the same on the host Linux
// and on Osprey (expected/<family>.txt holds it): "ok <check>" or
// "FAIL <check> (<detail>)", then "<family>: <n> failed". Each family works
// in a scratch directory "vfs_<family>" under the current directory, which it
// removes at the end; it must run as root (perms drops to uid 1000 itself).
// Output goes through write(2) so fork never duplicates buffered text.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define TMPFS_MAGIC_VALUE 0x01021994
#define PROC_MAGIC_VALUE  0x9fa0

static int s_failures;

static void say(const char* format, ...) __attribute__((format(printf, 1, 2)));
static void say(const char* format, ...)
{
    char line[256];
    va_list arguments;
    va_start(arguments, format);
    int length = vsnprintf(line, sizeof(line), format, arguments);
    va_end(arguments);
    write(STDOUT_FILENO, line, (size_t)length);
}

static void check(const char* what, int ok)
{
    say("%s %s\n", ok ? "ok" : "FAIL", what);
    if (!ok)
        s_failures++;
}

// `result` must be -1 with errno `expected`.
static void expect_errno(const char* what, long result, int expected)
{
    int error = errno;
    if (result == -1 && error == expected) {
        say("ok %s\n", what);
        return;
    }
    say("FAIL %s (result %ld, errno %s)\n", what, result, strerror(error));
    s_failures++;
}

static void expect_ok(const char* what, long result)
{
    int error = errno;
    if (result >= 0) {
        say("ok %s\n", what);
        return;
    }
    say("FAIL %s (errno %s)\n", what, strerror(error));
    s_failures++;
}

static void write_file(const char* path, const char* text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd >= 0) {
        write(fd, text, strlen(text));
        close(fd);
    }
}

// Reads up to size - 1 bytes of `path` as a string; -1 on error.
static long read_file(const char* path, char* buffer, size_t size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    long total = 0;
    for (;;) {
        long got = read(fd, buffer + total, size - 1 - (size_t)total);
        if (got <= 0)
            break;
        total += got;
    }
    buffer[total] = '\0';
    close(fd);
    return total;
}

static mode_t mode_of(const char* path)
{
    struct stat status;
    if (lstat(path, &status) < 0)
        return (mode_t)-1;
    return status.st_mode & 07777;
}

// Removes a tree (best effort; the families clean up after themselves).
static void remove_tree(const char* path)
{
    struct stat status;
    if (lstat(path, &status) < 0)
        return;
    if (S_ISDIR(status.st_mode)) {
        chmod(path, 0700);
        DIR* directory = opendir(path);
        if (directory) {
            struct dirent* entry;
            while ((entry = readdir(directory))) {
                if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
                    continue;
                char child[1024];
                snprintf(child, sizeof(child), "%s/%s", path, entry->d_name);
                remove_tree(child);
            }
            closedir(directory);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

// ---- paths: open flags, the *at calls, rename, links, symlinks, walk ----

static void paths_open_flags(void)
{
    write_file("file", "hello", 0644);
    expect_errno(
        "O_CREAT|O_EXCL on an existing file is EEXIST", open("file", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
    int fd = open("file", O_WRONLY | O_APPEND);
    write(fd, " world", 6);
    close(fd);
    char text[64];
    read_file("file", text, sizeof(text));
    check("O_APPEND writes at the end", strcmp(text, "hello world") == 0);
    fd = open("file", O_WRONLY | O_TRUNC);
    close(fd);
    struct stat status;
    stat("file", &status);
    check("O_TRUNC empties the file", status.st_size == 0);
    expect_errno("O_DIRECTORY on a file is ENOTDIR", open("file", O_RDONLY | O_DIRECTORY), ENOTDIR);
    symlink("file", "link");
    expect_errno("O_NOFOLLOW on a symlink is ELOOP", open("link", O_RDONLY | O_NOFOLLOW), ELOOP);
    fd = open("link", O_RDONLY | O_CLOEXEC);
    check("O_CLOEXEC sets FD_CLOEXEC", fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
    close(fd);
    mkdir("dir", 0755);
    expect_errno("O_CREAT on a directory is EISDIR", open("dir", O_CREAT | O_WRONLY, 0644), EISDIR);
    expect_errno("a directory opened for writing is EISDIR", open("dir", O_WRONLY), EISDIR);
    expect_errno("O_CREAT with a trailing slash is EISDIR", open("new/", O_CREAT | O_WRONLY, 0644), EISDIR);
    fd = open("dir", O_RDONLY | O_DIRECTORY);
    check("O_DIRECTORY opens a directory", fd >= 0);
    close(fd);
    expect_errno("an empty path is ENOENT", open("", O_RDONLY), ENOENT);
    char long_name[300];
    memset(long_name, 'x', 256);
    long_name[256] = '\0';
    expect_errno("a 256-byte component is ENAMETOOLONG", open(long_name, O_RDONLY), ENAMETOOLONG);
    expect_errno("a file in the middle of a path is ENOTDIR", open("file/x", O_RDONLY), ENOTDIR);
    expect_errno("a trailing slash on a file is ENOTDIR", stat("file/", &status), ENOTDIR);
}

static void paths_umask(void)
{
    mode_t old = umask(027);
    int fd = open("masked", O_CREAT | O_WRONLY, 0666);
    close(fd);
    mkdir("masked_dir", 0777);
    check("umask 027 makes a 0666 file 0640", mode_of("masked") == 0640);
    check("umask 027 makes a 0777 directory 0750", mode_of("masked_dir") == 0750);
    check("umask returns the previous mask", umask(old) == 027);
}

static void paths_at_calls(void)
{
    int dir = open("dir", O_RDONLY | O_DIRECTORY);
    expect_ok("mkdirat relative to a directory fd", mkdirat(dir, "sub", 0755));
    int fd = openat(dir, "sub/inner", O_CREAT | O_WRONLY, 0600);
    check("openat creates below a directory fd", fd >= 0);
    close(fd);
    expect_errno("unlinkat of a directory without AT_REMOVEDIR is EISDIR", unlinkat(dir, "sub", 0), EISDIR);
    expect_errno("AT_REMOVEDIR of a non-empty directory is ENOTEMPTY", unlinkat(dir, "sub", AT_REMOVEDIR), ENOTEMPTY);
    expect_ok("unlinkat removes a file", unlinkat(dir, "sub/inner", 0));
    expect_ok("unlinkat AT_REMOVEDIR removes the directory", unlinkat(dir, "sub", AT_REMOVEDIR));
    expect_errno("AT_REMOVEDIR on a file is ENOTDIR", unlinkat(AT_FDCWD, "file", AT_REMOVEDIR), ENOTDIR);
    expect_errno("unlinkat with unknown flags is EINVAL", unlinkat(dir, "x", 0x1), EINVAL);
    expect_ok("symlinkat", symlinkat("../file", dir, "up"));
    char target[64] = { 0 };
    long length = readlinkat(dir, "up", target, sizeof(target));
    check("readlinkat reads the target", length == 7 && memcmp(target, "../file", 7) == 0);
    expect_errno("readlinkat of a non-link is EINVAL", readlinkat(AT_FDCWD, "file", target, sizeof(target)), EINVAL);
    expect_ok("faccessat through a link", faccessat(dir, "up", R_OK | W_OK, 0));
    expect_errno("faccessat of a missing file is ENOENT", faccessat(dir, "none", F_OK, 0), ENOENT);
    expect_ok("fchmodat", fchmodat(dir, "up", 0604, 0));
    check("fchmodat follows the link", mode_of("file") == 0604);
    expect_ok("fchownat AT_SYMLINK_NOFOLLOW changes the link", fchownat(dir, "up", 7, 8, AT_SYMLINK_NOFOLLOW));
    struct stat status;
    fstatat(dir, "up", &status, AT_SYMLINK_NOFOLLOW);
    check("the link has the new owner", status.st_uid == 7 && status.st_gid == 8);
    stat("file", &status);
    check("the target kept its owner", status.st_uid == 0);
    expect_ok("fchownat with -1 keeps the owner", fchownat(AT_FDCWD, "file", (uid_t)-1, 9, 0));
    stat("file", &status);
    check("only the group changed", status.st_uid == 0 && status.st_gid == 9);
    fd = open("file", O_RDONLY);
    expect_ok("fchown", fchown(fd, 0, 0));
    expect_ok("fchmod", fchmod(fd, 0640));
    close(fd);
    check("fchmod changed the mode", mode_of("file") == 0640);
    struct timespec times[2] = { { 1000, 5 }, { 2000, 7 } };
    expect_ok("utimensat sets both times", utimensat(AT_FDCWD, "file", times, 0));
    stat("file", &status);
    check("atime and mtime as given",
        status.st_atim.tv_sec == 1000 && status.st_atim.tv_nsec == 5 && status.st_mtim.tv_sec == 2000
            && status.st_mtim.tv_nsec == 7);
    times[0].tv_nsec = UTIME_OMIT;
    times[1].tv_sec = 3000;
    times[1].tv_nsec = 0;
    utimensat(AT_FDCWD, "file", times, 0);
    stat("file", &status);
    check("UTIME_OMIT keeps atime", status.st_atim.tv_sec == 1000 && status.st_mtim.tv_sec == 3000);
    times[0].tv_nsec = 1000000000;
    expect_errno("a tv_nsec of 1e9 is EINVAL", utimensat(AT_FDCWD, "file", times, 0), EINVAL);
    close(dir);
}

static void paths_rename(void)
{
    write_file("r1", "one", 0644);
    write_file("r2", "two", 0644);
    expect_ok("rename over an existing file", rename("r1", "r2"));
    char text[16];
    read_file("r2", text, sizeof(text));
    check("the target has the source's data", strcmp(text, "one") == 0 && access("r1", F_OK) == -1);
    mkdir("ra", 0755);
    mkdir("rb", 0755);
    write_file("ra/f", "moved", 0644);
    expect_ok("renameat across directories", renameat(AT_FDCWD, "ra/f", AT_FDCWD, "rb/g"));
    read_file("rb/g", text, sizeof(text));
    check("the file is in the other directory", strcmp(text, "moved") == 0);
    write_file("ra/f", "again", 0644);
    expect_errno("RENAME_NOREPLACE over a file is EEXIST",
        renameat2(AT_FDCWD, "r2", AT_FDCWD, "ra/f", RENAME_NOREPLACE), EEXIST);
    expect_ok("RENAME_NOREPLACE to a free name", renameat2(AT_FDCWD, "r2", AT_FDCWD, "r3", RENAME_NOREPLACE));
    expect_ok("RENAME_EXCHANGE", renameat2(AT_FDCWD, "r3", AT_FDCWD, "ra/f", RENAME_EXCHANGE));
    read_file("r3", text, sizeof(text));
    char other[16];
    read_file("ra/f", other, sizeof(other));
    check("RENAME_EXCHANGE swapped the files", strcmp(text, "again") == 0 && strcmp(other, "one") == 0);
    expect_ok("RENAME_EXCHANGE of a file and a directory", renameat2(AT_FDCWD, "r3", AT_FDCWD, "rb", RENAME_EXCHANGE));
    struct stat status;
    check("the directory took the file's name",
        stat("r3/g", &status) == 0 && stat("rb", &status) == 0 && S_ISREG(status.st_mode));
    expect_errno("RENAME_EXCHANGE with a missing target is ENOENT",
        renameat2(AT_FDCWD, "rb", AT_FDCWD, "nothing", RENAME_EXCHANGE), ENOENT);
    expect_errno("NOREPLACE|EXCHANGE is EINVAL",
        renameat2(AT_FDCWD, "rb", AT_FDCWD, "r3", RENAME_NOREPLACE | RENAME_EXCHANGE), EINVAL);
    expect_errno("a file over a directory is EISDIR", rename("rb", "ra"), EISDIR);
    expect_errno("a directory over a file is ENOTDIR", rename("ra", "rb"), ENOTDIR);
    expect_errno("a directory over a non-empty one is ENOTEMPTY", rename("ra", "r3"), ENOTEMPTY);
    expect_errno("a directory into itself is EINVAL", rename("ra", "ra/inside"), EINVAL);
    expect_errno("rename to another filesystem is EXDEV", rename("rb", "/proc/moved"), EXDEV);
}

static void paths_links(void)
{
    write_file("orig", "data", 0644);
    expect_ok("link", link("orig", "hard"));
    struct stat status;
    stat("orig", &status);
    check("the link count is 2", status.st_nlink == 2);
    symlink("orig", "soft");
    expect_ok("linkat without AT_SYMLINK_FOLLOW links the symlink", linkat(AT_FDCWD, "soft", AT_FDCWD, "soft2", 0));
    lstat("soft2", &status);
    check("the new name is a symlink", S_ISLNK(status.st_mode));
    expect_ok(
        "linkat AT_SYMLINK_FOLLOW links the target", linkat(AT_FDCWD, "soft", AT_FDCWD, "hard2", AT_SYMLINK_FOLLOW));
    lstat("hard2", &status);
    check("the new name is the regular file", S_ISREG(status.st_mode) && status.st_nlink == 3);
    expect_errno("link to a directory is EPERM", link("dir", "dirlink"), EPERM);
    expect_errno("link over an existing name is EEXIST", link("orig", "hard"), EEXIST);
    unlink("orig");
    char text[16];
    read_file("hard", text, sizeof(text));
    check("the data lives on under the other name", strcmp(text, "data") == 0);
}

static void paths_symlinks(void)
{
    symlink("loop_b", "loop_a");
    symlink("loop_a", "loop_b");
    expect_errno("a symlink loop is ELOOP", open("loop_a", O_RDONLY), ELOOP);
    write_file("chain_target", "end", 0644);
    char name[32];
    char previous[32] = "chain_target";
    for (int i = 0; i <= 40; ++i) {
        snprintf(name, sizeof(name), "chain%d", i);
        symlink(previous, name);
        memcpy(previous, name, sizeof(name));
    }
    int fd = open("chain39", O_RDONLY);
    check("40 links in a row resolve", fd >= 0);
    close(fd);
    expect_errno("41 links in a row are ELOOP", open("chain40", O_RDONLY), ELOOP);
    symlink("dir", "dir_link");
    struct stat via_link;
    struct stat direct;
    stat("dir_link/", &via_link);
    stat("dir", &direct);
    check("a trailing slash follows a final symlink", via_link.st_ino == direct.st_ino);
    lstat("dir_link", &via_link);
    check("lstat does not follow", S_ISLNK(via_link.st_mode));
    symlink("/nonexistent/target", "dangling");
    expect_errno("a dangling link is ENOENT", open("dangling", O_RDONLY), ENOENT);
    fd = open("dangling", O_CREAT | O_EXCL | O_WRONLY, 0644);
    check("O_CREAT|O_EXCL on a dangling link is EEXIST", fd == -1 && errno == EEXIST);
}

static void paths_walk(void)
{
    mkdir("w", 0755);
    mkdir("w/b", 0755);
    write_file("w/b/c", "c", 0644);
    struct stat status;
    expect_ok("a/b/../b/./c resolves", stat("w/b/../b/./c", &status));
    expect_ok("repeated slashes are one", stat("w//b///c", &status));
    struct stat root;
    struct stat root_parent;
    stat("/", &root);
    stat("/..", &root_parent);
    check("/.. is /", root.st_ino == root_parent.st_ino && root.st_dev == root_parent.st_dev);
    // ".." from the root of a mount goes to the covered directory's parent.
    mkdir("w/m", 0755);
    struct stat before;
    stat("w/m", &before);
    expect_ok("tmpfs mounts on w/m", mount("none", "w/m", "tmpfs", 0, NULL));
    struct stat inside;
    struct stat parent_via_mount;
    struct stat parent;
    stat("w/m", &inside);
    stat("w/m/..", &parent_via_mount);
    stat("w", &parent);
    check("the mount covers the directory", inside.st_dev != before.st_dev);
    check("m/.. is the directory holding the mount point",
        parent_via_mount.st_ino == parent.st_ino && parent_via_mount.st_dev == parent.st_dev);
    mkdir("w/m/deep", 0755);
    int cwd = open(".", O_RDONLY | O_DIRECTORY);
    chdir("w/m/deep");
    struct stat up;
    stat("../..", &up);
    check("../.. from inside the mount crosses back", up.st_ino == parent.st_ino && up.st_dev == parent.st_dev);
    expect_errno("umount2 while it is the cwd is EBUSY", umount2("../../m", 0), EBUSY);
    fchdir(cwd);
    close(cwd);
    int fd = open("w/m/open", O_CREAT | O_WRONLY, 0644);
    expect_errno("umount2 while a file is open is EBUSY", umount2("w/m", 0), EBUSY);
    close(fd);
    expect_errno("rename out of the mount is EXDEV", rename("w/m/open", "w/open"), EXDEV);
    expect_errno("link into the mount is EXDEV", link("w/b/c", "w/m/hard"), EXDEV);
    expect_errno("rmdir of the mount point is EBUSY", rmdir("w/m"), EBUSY);
    expect_ok("umount2 when unused", umount2("w/m", 0));
    expect_errno("the mount's files are gone", stat("w/m/open", &status), ENOENT);
    expect_errno("umount2 of a plain directory is EINVAL", umount2("w", 0), EINVAL);
}

static void paths_truncate_sync(void)
{
    write_file("t", "abcdef", 0644);
    expect_ok("truncate down", truncate("t", 3));
    char text[16];
    check("truncate kept the head", read_file("t", text, sizeof(text)) == 3 && strcmp(text, "abc") == 0);
    int fd = open("t", O_RDWR);
    expect_ok("ftruncate up", ftruncate(fd, 8));
    char bytes[8];
    pread(fd, bytes, sizeof(bytes), 0);
    check("the new bytes read as zeros", memcmp(bytes, "abc\0\0\0\0\0", 8) == 0);
    expect_errno("ftruncate to a negative length is EINVAL", ftruncate(fd, -1), EINVAL);
    expect_ok("fsync", fsync(fd));
    expect_ok("fdatasync", fdatasync(fd));
    expect_ok("syncfs", syncfs(fd));
    close(fd);
    fd = open("t", O_RDONLY);
    expect_errno("ftruncate on a read-only fd is EINVAL", ftruncate(fd, 0), EINVAL);
    close(fd);
    expect_errno("truncate on a directory is EISDIR", truncate("dir", 0), EISDIR);
    int pipe_ends[2];
    pipe(pipe_ends);
    expect_errno("fsync on a pipe is EINVAL", fsync(pipe_ends[0]), EINVAL);
    close(pipe_ends[0]);
    close(pipe_ends[1]);
    sync();
    check("sync returns", 1);
}

static void family_paths(void)
{
    paths_open_flags();
    paths_umask();
    paths_at_calls();
    paths_rename();
    paths_links();
    paths_symlinks();
    paths_walk();
    paths_truncate_sync();
}

// ---- perms: a process of uid 1000 against files of root ----

static void perms_as_user(void)
{
    check("uid and gid are 1000", getuid() == 1000 && geteuid() == 1000 && getgid() == 1000 && getegid() == 1000);
    expect_errno("reading a 0600 root file is EACCES", open("p/secret", O_RDONLY), EACCES);
    int fd = open("p/public", O_RDONLY);
    check("reading a 0644 root file works", fd >= 0);
    close(fd);
    expect_errno("writing a 0644 root file is EACCES", open("p/public", O_WRONLY), EACCES);
    expect_errno("access R_OK of the secret is EACCES", access("p/secret", R_OK), EACCES);
    expect_ok("access R_OK of the public file", access("p/public", R_OK));
    struct stat status;
    expect_errno("a 0700 root directory cannot be searched", stat("p/closed/x", &status), EACCES);
    expect_errno("nor listed", open("p/closed", O_RDONLY | O_DIRECTORY), EACCES);
    expect_errno("creating in a 0755 root directory is EACCES", open("p/new", O_CREAT | O_WRONLY, 0644), EACCES);
    expect_errno("mkdir there too", mkdir("p/newdir", 0755), EACCES);
    expect_errno("unlink there too", unlink("p/public"), EACCES);
    expect_errno("rename out of it too", rename("p/public", "p/mine/public"), EACCES);
    fd = open("p/mine/own", O_CREAT | O_WRONLY, 0644);
    check("creating in an owned directory works", fd >= 0);
    fstat(fd, &status);
    check("the new file belongs to 1000:1000", status.st_uid == 1000 && status.st_gid == 1000);
    expect_ok("the owner may fchmod", fchmod(fd, 0600));
    close(fd);
    expect_errno("chmod of a root file is EPERM", chmod("p/public", 0666), EPERM);
    expect_errno("chown of an own file to root is EPERM", chown("p/mine/own", 0, (gid_t)-1), EPERM);
    expect_errno("chgrp to a group not held is EPERM", chown("p/mine/own", (uid_t)-1, 0), EPERM);
    expect_ok("chown to the same owner works", chown("p/mine/own", 1000, 1000));
    expect_errno("utimensat now on a root file without write access is EACCES",
        utimensat(AT_FDCWD, "p/public", NULL, 0), EACCES);
    struct timespec times[2] = { { 5, 0 }, { 6, 0 } };
    expect_errno("explicit times on a root file are EPERM", utimensat(AT_FDCWD, "p/public", times, 0), EPERM);
    expect_ok("explicit times on an own file", utimensat(AT_FDCWD, "p/mine/own", times, 0));
    expect_ok("utimensat now on a writable root file", utimensat(AT_FDCWD, "p/open/rootfile", NULL, 0));
    expect_errno("truncate of a root file is EACCES", truncate("p/public", 0), EACCES);
    expect_errno("sticky: removing root's file is EPERM", unlink("p/open/rootfile"), EPERM);
    expect_errno("sticky: renaming it is EPERM", rename("p/open/rootfile", "p/open/x"), EPERM);
    fd = open("p/open/mine", O_CREAT | O_WRONLY, 0644);
    close(fd);
    expect_ok("sticky: removing an own file works", unlink("p/open/mine"));
    expect_errno("mount is EPERM", mount("none", "p/mine", "tmpfs", 0, NULL), EPERM);
    expect_errno("umount2 is EPERM", umount2("/proc", 0), EPERM);
    expect_errno("setuid(0) is EPERM", setuid(0), EPERM);
    expect_ok("setuid to oneself works", setuid(1000));
    expect_errno("setgroups is EPERM", setgroups(0, NULL), EPERM);
}

static void ids_apart(void);

static void family_perms(void)
{
    mkdir("p", 0755);
    write_file("p/secret", "s", 0600);
    write_file("p/public", "p", 0644);
    mkdir("p/closed", 0700);
    mkdir("p/mine", 0755);
    chown("p/mine", 1000, 1000);
    mkdir("p/open", 01777);
    chmod("p/open", 01777);
    write_file("p/open/rootfile", "r", 0666);
    chmod("p/open/rootfile", 0666);
    pid_t child = fork();
    if (child == 0) {
        s_failures = 0;
        if (setgroups(0, NULL) < 0 || setgid(1000) < 0 || setuid(1000) < 0) {
            say("FAIL cannot become uid 1000\n");
            _exit(1);
        }
        perms_as_user();
        _exit(s_failures);
    }
    int status = 0;
    waitpid(child, &status, 0);
    s_failures += WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    // Root again: the bypasses Linux grants.
    int fd = open("p/secret", O_RDWR);
    check("root reads and writes a 0600 file it does not need to own", fd >= 0);
    close(fd);
    chmod("p/secret", 0);
    fd = open("p/secret", O_RDONLY);
    check("root reads even a mode 0 file", fd >= 0);
    close(fd);
    expect_errno("root may not execute a file without x bits", access("p/secret", X_OK), EACCES);
    chmod("p/secret", 0100);
    expect_ok("but may with one x bit", access("p/secret", X_OK));
    expect_ok("root searches a 0700 directory of another owner", access("p/mine", X_OK));

    // Real and effective ids apart: access() asks with the real ones (in a
    // child, which ends up without root).
    chmod("p/secret", 0600);
    child = fork();
    if (child == 0) {
        s_failures = 0;
        ids_apart();
        _exit(s_failures);
    }
    waitpid(child, &status, 0);
    s_failures += WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static void ids_apart(void)
{
    expect_ok("seteuid(1000) as root", seteuid(1000));
    uid_t real = 99;
    uid_t effective = 99;
    uid_t saved = 99;
    getresuid(&real, &effective, &saved);
    check("getresuid shows 0, 1000, 0", real == 0 && effective == 1000 && saved == 0);
    expect_errno("open uses the effective uid", open("p/secret", O_RDONLY), EACCES);
    expect_ok("access uses the real uid", access("p/secret", R_OK));
    expect_errno(
        "faccessat AT_EACCESS uses the effective uid", faccessat(AT_FDCWD, "p/secret", R_OK, AT_EACCESS), EACCES);
    expect_errno("setresuid to a foreign id is EPERM", setresuid((uid_t)-1, 1234, (uid_t)-1), EPERM);
    expect_ok("seteuid(0) returns to root through the saved id", seteuid(0));
    expect_ok("setreuid(1000, 1000) as root", setreuid(1000, 1000));
    getresuid(&real, &effective, &saved);
    check("setreuid set the saved id too", real == 1000 && effective == 1000 && saved == 1000);
    expect_errno("after which root is out of reach", seteuid(0), EPERM);
}

// ---- mmap: file-backed mappings ----

#define PAGE 4096L

static char* map(int fd, size_t length, int protection, int flags, off_t offset)
{
    void* address = mmap(NULL, length, protection, flags, fd, offset);
    return address == MAP_FAILED ? NULL : address;
}

static void family_mmap(void)
{
    int fd = open("m", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char page[PAGE];
    for (int i = 0; i < 2; ++i) {
        memset(page, 'a' + i, PAGE);
        write(fd, page, PAGE);
    }
    char* shared = map(fd, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
    check("MAP_SHARED of a file", shared != NULL);
    if (!shared)
        return;
    check("the mapping shows the file", shared[0] == 'a' && shared[PAGE] == 'b');
    shared[10] = 'X';
    char byte = 0;
    pread(fd, &byte, 1, 10);
    check("read() sees a store through the mapping", byte == 'X');
    pwrite(fd, "Y", 1, 20);
    check("the mapping sees pwrite()", shared[20] == 'Y');
    char* second = map(fd, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
    second[PAGE + 1] = 'Z';
    check("two shared mappings see each other", shared[PAGE + 1] == 'Z' && second[10] == 'X');
    char* offset_map = map(fd, PAGE, PROT_READ, MAP_SHARED, PAGE);
    check("a mapping at an offset shows that page", offset_map && offset_map[1] == 'Z' && offset_map[0] == 'b');
    char* private_map = map(fd, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
    check("MAP_PRIVATE shows the file", private_map && private_map[10] == 'X');
    private_map[30] = 'P';
    pread(fd, &byte, 1, 30);
    check("a private store stays private", byte == 'a' && shared[30] == 'a');
    shared[40] = 'S';
    check("the private mapping saw the untouched page change", private_map[PAGE + 1] == 'Z');

    pid_t child = fork();
    if (child == 0) {
        shared[50] = 'C';
        private_map[60] = 'Q';
        _exit(0);
    }
    waitpid(child, NULL, 0);
    check("a child's store to a shared mapping reaches the parent", shared[50] == 'C');
    check("a child's store to a private mapping does not", private_map[60] == 'a');

    expect_ok("msync MS_SYNC", msync(shared, 2 * PAGE, MS_SYNC));
    expect_ok("msync MS_ASYNC", msync(shared, PAGE, MS_ASYNC));
    expect_errno("msync MS_SYNC|MS_ASYNC is EINVAL", msync(shared, PAGE, MS_SYNC | MS_ASYNC), EINVAL);
    expect_errno("msync of a misaligned address is EINVAL", msync(shared + 1, PAGE, MS_SYNC), EINVAL);
    expect_errno("msync with unknown flags is EINVAL", msync(shared, PAGE, 8), EINVAL);
    munmap(second, 2 * PAGE);
    expect_errno("msync of an unmapped range is ENOMEM", msync(second, PAGE, MS_SYNC), ENOMEM);
    munmap(shared, 2 * PAGE);
    munmap(offset_map, PAGE);
    munmap(private_map, 2 * PAGE);
    close(fd);
    char text[2 * PAGE + 1];
    long length = read_file("m", text, sizeof(text));
    check("after munmap the file holds every shared store",
        length == 2 * PAGE && text[10] == 'X' && text[20] == 'Y' && text[PAGE + 1] == 'Z' && text[40] == 'S'
            && text[50] == 'C' && text[30] == 'a');

    // Stores past the end of file stay out of it.
    write_file("short", "0123456789", 0644);
    fd = open("short", O_RDWR);
    char* tail = map(fd, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
    check("the bytes past the end read as zero", tail && tail[10] == 0 && tail[PAGE - 1] == 0);
    tail[0] = '#';
    tail[100] = '!';
    munmap(tail, PAGE);
    struct stat status;
    fstat(fd, &status);
    length = read_file("short", text, sizeof(text));
    check("the file keeps its size and takes the store inside it",
        status.st_size == 10 && length == 10 && text[0] == '#');
    // Exit writes shared pages back.
    child = fork();
    if (child == 0) {
        char* mapped = map(fd, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
        if (mapped)
            mapped[1] = 'E';
        _exit(0);
    }
    waitpid(child, NULL, 0);
    read_file("short", text, sizeof(text));
    check("a store by a process that exits without munmap reaches the file", text[1] == 'E');
    // ftruncate is seen by the mapping.
    tail = map(fd, PAGE, PROT_READ, MAP_SHARED, 0);
    ftruncate(fd, 4);
    ftruncate(fd, 10);
    check("bytes cut by ftruncate read as zero in the mapping", tail && tail[0] == '#' && tail[5] == 0);
    munmap(tail, PAGE);
    close(fd);

    // Shared anonymous memory: zeros, shared with a fork child.
    char* anonymous = map(-1, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, 0);
    check("MAP_SHARED|MAP_ANONYMOUS gives zeros", anonymous && anonymous[0] == 0 && anonymous[3 * PAGE - 1] == 0);
    if (anonymous) {
        anonymous[PAGE] = 'p';
        child = fork();
        if (child == 0) {
            anonymous[2 * PAGE] = anonymous[PAGE] == 'p' ? 'c' : '?';
            _exit(0);
        }
        waitpid(child, NULL, 0);
        check("a fork child shares it both ways", anonymous[2 * PAGE] == 'c');
        munmap(anonymous, 3 * PAGE);
    }

    // Argument errors.
    fd = open("m", O_RDONLY);
    expect_errno("MAP_SHARED|PROT_WRITE of a read-only fd is EACCES",
        (long)mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EACCES);
    char* private_rw = map(fd, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
    check("MAP_PRIVATE|PROT_WRITE of a read-only fd works", private_rw != NULL);
    if (private_rw)
        private_rw[0] = 'w';
    char* read_only = map(fd, PAGE, PROT_READ, MAP_SHARED, 0);
    expect_errno("mprotect PROT_WRITE of it is EACCES", mprotect(read_only, PAGE, PROT_READ | PROT_WRITE), EACCES);
    expect_errno("a misaligned offset is EINVAL", (long)mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 100), EINVAL);
    expect_errno("length 0 is EINVAL", (long)mmap(NULL, 0, PROT_READ, MAP_SHARED, fd, 0), EINVAL);
    close(fd);
    fd = open("m", O_WRONLY);
    expect_errno("a write-only fd is EACCES", (long)mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0), EACCES);
    close(fd);
    fd = open("m", O_RDWR | O_APPEND);
    char* appending = map(fd, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
    check("MAP_SHARED|PROT_WRITE of an O_APPEND fd works", appending != NULL);
    close(fd);
    expect_errno("a closed fd is EBADF", (long)mmap(NULL, PAGE, PROT_READ, MAP_SHARED, 99, 0), EBADF);
    int pipe_ends[2];
    pipe(pipe_ends);
    expect_errno("a pipe is ENODEV", (long)mmap(NULL, PAGE, PROT_READ, MAP_SHARED, pipe_ends[0], 0), ENODEV);
    close(pipe_ends[0]);
    close(pipe_ends[1]);
    mkdir("d", 0755);
    fd = open("d", O_RDONLY);
    expect_errno("a directory is ENODEV", (long)mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0), ENODEV);
    close(fd);
}

// ---- statfs: filesystem statistics ----

static void family_statfs(void)
{
    struct statfs info;
    expect_ok("statfs of /proc", statfs("/proc", &info));
    check("/proc is PROC_SUPER_MAGIC", info.f_type == PROC_MAGIC_VALUE);
    mkdir("t", 0755);
    expect_ok("tmpfs with size=1m mounts", mount("none", "t", "tmpfs", 0, "size=1m"));
    expect_ok("statfs of it", statfs("t", &info));
    check("f_type is TMPFS_MAGIC", info.f_type == TMPFS_MAGIC_VALUE);
    check("f_bsize is 4096", info.f_bsize == 4096 && info.f_frsize == 4096);
    check("f_blocks is 256 (1 MiB)", info.f_blocks == 256);
    check("all of it is free", info.f_bfree == 256 && info.f_bavail == 256);
    check("f_namelen is 255", info.f_namelen == 255);
    int fd = open("t/file", O_CREAT | O_RDWR, 0644);
    char page[PAGE];
    memset(page, 'x', PAGE);
    write(fd, page, PAGE);
    write(fd, page, PAGE);
    struct statfs through_fd;
    expect_ok("fstatfs", fstatfs(fd, &through_fd));
    check("two written pages are in use", through_fd.f_bfree == 254 && through_fd.f_type == TMPFS_MAGIC_VALUE);
    long total = 0;
    long written;
    while ((written = write(fd, page, PAGE)) > 0)
        total += written;
    check("writing stops at the size limit with ENOSPC", written == -1 && errno == ENOSPC);
    check("after 254 more pages", total == 254 * PAGE);
    ftruncate(fd, 0);
    fstatfs(fd, &through_fd);
    check("truncation gives the space back", through_fd.f_bfree == 256);
    close(fd);
    char mounts[8192];
    read_file("/proc/mounts", mounts, sizeof(mounts));
    char cwd[512];
    getcwd(cwd, sizeof(cwd));
    char expected[600];
    snprintf(expected, sizeof(expected), "none %s/t tmpfs rw", strcmp(cwd, "/") == 0 ? "" : cwd);
    char* line = strstr(mounts, expected);
    check("/proc/mounts lists it with its absolute path", line != NULL);
    char* end = line ? strchr(line, '\n') : NULL;
    if (end)
        *end = '\0';
    check("and its size option", line && strstr(line, "size=1024k") && strstr(line, " 0 0"));
    expect_ok("umount2", umount2("t", 0));
    expect_errno("tmpfs with an unknown option is EINVAL", mount("none", "t", "tmpfs", 0, "colour=blue"), EINVAL);
    expect_errno("statfs of a missing path is ENOENT", statfs("t/none", &info), ENOENT);
    expect_errno("fstatfs of a closed fd is EBADF", fstatfs(99, &info), EBADF);
}

int main(int argc, char** argv)
{
    if (argc < 2) {
        say("usage: vfs_test paths|perms|mmap|statfs\n");
        return 2;
    }
    const char* family = argv[1];
    char scratch[64];
    snprintf(scratch, sizeof(scratch), "vfs_%s", family);
    remove_tree(scratch);
    mkdir(scratch, 0755);
    if (chdir(scratch) < 0) {
        say("cannot enter %s\n", scratch);
        return 2;
    }
    umask(022);
    if (strcmp(family, "paths") == 0)
        family_paths();
    else if (strcmp(family, "perms") == 0)
        family_perms();
    else if (strcmp(family, "mmap") == 0)
        family_mmap();
    else if (strcmp(family, "statfs") == 0)
        family_statfs();
    else {
        say("unknown family %s\n", family);
        return 2;
    }
    chdir("..");
    remove_tree(scratch);
    say("%s: %d failed\n", family, s_failures);
    return s_failures ? 1 : 0;
}
