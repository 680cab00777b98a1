// File lifetime tests, one family per subcommand, each a transcript the host
// Linux and Osprey must print alike (expected/<family>.txt):
//   unlinked   an unlinked file's space comes back at the last close, munmap
//              or exit, not before (statfs of the current directory's
//              filesystem: run it on tmpfs, or on ext4 for syncmap's disk);
//   sigbus     a file mapping's pages wholly past the end of file give SIGBUS
//              (BUS_ADRERR), the partial last page reads zeros, and so do
//              pages cut off by ftruncate;
//   noreplace  renameat2(RENAME_NOREPLACE): EEXIST, and of children racing
//              to rename onto one name exactly one wins;
//   atime      relatime (the default), noatime, strictatime, nodiratime: which
//              accesses update the atime, and what /proc/mounts shows.
// `syncmap <device>` is Osprey-only (tests/system/ext4_disks.py): a store
// through a MAP_SHARED mapping of a file in the current directory reaches
// <device> at sync(2), without msync or munmap.
// Lines are "ok <check>" or "FAIL <check> (<detail>)", then
// "<family>: <n> failed"; each family works in "vfslife_<family>" under the
// current directory. Output goes through write(2) (fork duplicates nothing).
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
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

#ifndef BUS_ADRERR
#    define BUS_ADRERR 2 // Linux's value; Osprey's <signal.h> lacks the name
#endif

#define PAGE 4096L
#define BIG  (1024L * 1024)

static int s_failures;
static const char* s_program; // argv[0], copied by the atime family to exec it

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

static void check_detail(const char* what, int ok, long detail)
{
    if (ok)
        say("ok %s\n", what);
    else
        say("FAIL %s (%ld)\n", what, detail);
    if (!ok)
        s_failures++;
}

// Free blocks of the current directory's filesystem, in bytes.
static long long free_bytes(void)
{
    struct statfs status;
    if (statfs(".", &status) < 0)
        return -1;
    return (long long)status.f_bfree * (long long)status.f_bsize;
}

static int make_file(const char* name, size_t size)
{
    int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    static char chunk[PAGE];
    memset(chunk, 'x', sizeof(chunk));
    for (size_t done = 0; done < size; done += sizeof(chunk))
        write(fd, chunk, sizeof(chunk));
    return fd;
}

// The file's space is in use (at least half of it) compared with `before`.
static int in_use(long long before)
{
    return free_bytes() <= before - BIG / 2;
}

static int given_back(long long before)
{
    return free_bytes() >= before;
}

static void family_unlinked(void)
{
    long long before = free_bytes();
    check("statfs works", before > BIG);

    // Two descriptors, unlinked: the space stays until the last close.
    int fd = make_file("a", BIG);
    int second = open("a", O_RDONLY);
    check("file made", fd >= 0 && second >= 0);
    check("unlink", unlink("a") == 0);
    struct stat status;
    check("fstat after unlink: no links", fstat(fd, &status) == 0 && status.st_nlink == 0);
    char byte = 0;
    check("still readable", pread(second, &byte, 1, BIG - 1) == 1 && byte == 'x');
    check("still writable", pwrite(fd, "y", 1, 0) == 1);
    check("space in use while open", in_use(before));
    close(fd);
    check("space in use while one descriptor is open", in_use(before));
    close(second);
    check("space back after the last close", given_back(before));

    // A mapping keeps it after the descriptor is closed.
    fd = make_file("b", BIG);
    char* map = mmap(NULL, BIG, PROT_READ, MAP_SHARED, fd, 0);
    check("mapped", map != MAP_FAILED);
    close(fd);
    check("unlink mapped file", unlink("b") == 0);
    check("space in use while mapped", in_use(before));
    check("mapping readable", map != MAP_FAILED && map[BIG - 1] == 'x');
    munmap(map, BIG);
    check("space back after munmap", given_back(before));

    // A process that exits with it open.
    int ready[2];
    pipe(ready);
    pid_t child = fork();
    if (child == 0) {
        close(ready[0]);
        int own = make_file("c", BIG);
        unlink("c");
        write(ready[1], own >= 0 ? "y" : "n", 1);
        pause();
        _exit(0);
    }
    close(ready[1]);
    char answer = 0;
    read(ready[0], &answer, 1);
    close(ready[0]);
    check("child holds an unlinked file", answer == 'y');
    check("space in use while the child lives", in_use(before));
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    check("space back after the child exits", given_back(before));

    // An unlinked directory that is still some process's cwd.
    check("mkdir", mkdir("d", 0755) == 0);
    int directory = open("d", O_RDONLY | O_DIRECTORY);
    check("rmdir while open", rmdir("d") == 0);
    check("fstat removed directory: no links", fstat(directory, &status) == 0 && status.st_nlink == 0);
    check("creating in a removed directory: ENOENT",
        openat(directory, "x", O_CREAT | O_WRONLY, 0644) < 0 && errno == ENOENT);
    close(directory);
}

static sigjmp_buf s_jump;
static volatile int s_signal;
static volatile int s_code;
static void* volatile s_address;

static void on_fault(int signal, siginfo_t* info, void* context)
{
    (void)context;
    s_signal = signal;
    s_code = info->si_code;
    s_address = info->si_addr;
    siglongjmp(s_jump, 1);
}

// Touches `address` (a store if `store`); returns the signal it raised or 0.
static int touch(char* address, int store, char* value)
{
    s_signal = 0;
    s_code = 0;
    s_address = NULL;
    if (sigsetjmp(s_jump, 1) == 0) {
        if (store)
            *(volatile char*)address = 'z';
        else
            *value = *(volatile char*)address;
        return 0;
    }
    return s_signal;
}

static void expect_bus(const char* what, char* address, int store)
{
    char value;
    int signal = touch(address, store, &value);
    if (signal == SIGBUS && s_code == BUS_ADRERR && s_address == address) {
        say("ok %s\n", what);
        return;
    }
    say("FAIL %s (signal %d code %d address %s)\n", what, signal, s_code, s_address == address ? "right" : "wrong");
    s_failures++;
}

static void family_sigbus(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_sigaction = on_fault;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGBUS, &action, NULL);
    sigaction(SIGSEGV, &action, NULL);

    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char text[5000];
    memset(text, 'a', sizeof(text));
    write(fd, text, sizeof(text)); // one whole page and 904 bytes of the second
    char* map = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    check("mapped four pages of a 5000-byte file", map != MAP_FAILED);
    if (map == MAP_FAILED)
        return;
    char value = 0;
    check("last byte of the file", touch(map + 4999, 0, &value) == 0 && value == 'a');
    check("past the end on the last page reads zero", touch(map + 5000, 0, &value) == 0 && value == 0);
    check("end of the last page reads zero", touch(map + 2 * PAGE - 1, 0, &value) == 0 && value == 0);
    check("store on the last page past the end", touch(map + 6000, 1, &value) == 0);
    expect_bus("read of a page past the end: SIGBUS", map + 2 * PAGE, 0);
    expect_bus("store to a page past the end: SIGBUS", map + 3 * PAGE + 17, 1);
    struct stat status;
    check("the size is unchanged", fstat(fd, &status) == 0 && status.st_size == 5000);

    // Growing the file makes the pages valid.
    check("ftruncate up", ftruncate(fd, 3 * PAGE) == 0);
    check("page now inside reads zero", touch(map + 2 * PAGE + 5, 0, &value) == 0 && value == 0);
    check("store into the grown page", touch(map + 2 * PAGE + 5, 1, &value) == 0);

    // Shrinking cuts off pages that were mapped.
    check("ftruncate down to 100", ftruncate(fd, 100) == 0);
    expect_bus("read of a page cut off by ftruncate: SIGBUS", map + PAGE, 0);
    expect_bus("read of another cut-off page: SIGBUS", map + 2 * PAGE + 5, 0);
    check("first page past the new end reads zero", touch(map + 100, 0, &value) == 0 && value == 0);
    check("first page before the new end", touch(map + 99, 0, &value) == 0 && value == 'a');

    // A private mapping behaves the same.
    char* private_map = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    check("private mapping", private_map != MAP_FAILED);
    if (private_map != MAP_FAILED) {
        check("private: copy of the first page", touch(private_map + 10, 1, &value) == 0);
        expect_bus("private: page past the end: SIGBUS", private_map + PAGE + 1, 0);
        munmap(private_map, 2 * PAGE);
    }

    // The kernel reading from such a page fails with EFAULT instead.
    int null_fd = open("/dev/null", O_WRONLY);
    errno = 0;
    check_detail("write(2) from a page past the end: EFAULT",
        write(null_fd, map + 3 * PAGE, 10) < 0 ? errno == EFAULT : 1, errno);
    close(null_fd);
    munmap(map, 4 * PAGE);
    close(fd);
    unlink("f");
}

static void family_noreplace(void)
{
    int fd = open("target", O_WRONLY | O_CREAT, 0644);
    close(fd);
    fd = open("source", O_WRONLY | O_CREAT, 0644);
    close(fd);
    check("NOREPLACE onto an existing name: EEXIST",
        renameat2(AT_FDCWD, "source", AT_FDCWD, "target", RENAME_NOREPLACE) < 0 && errno == EEXIST);
    check("source still there", access("source", F_OK) == 0);
    check("NOREPLACE onto a free name", renameat2(AT_FDCWD, "source", AT_FDCWD, "moved", RENAME_NOREPLACE) == 0);
    check("NOREPLACE with EXCHANGE: EINVAL",
        renameat2(AT_FDCWD, "moved", AT_FDCWD, "target", RENAME_NOREPLACE | 2) < 0 && errno == EINVAL);
    unlink("target");
    unlink("moved");

    // Children race to claim one name; each tries once.
    enum { RACERS = 8, ROUNDS = 20 };
    int all_single = 1;
    for (int round = 0; round < ROUNDS; ++round) {
        int go[2];
        pipe(go);
        pid_t children[RACERS];
        for (int i = 0; i < RACERS; ++i) {
            char name[32];
            snprintf(name, sizeof(name), "racer%d", i);
            close(open(name, O_WRONLY | O_CREAT, 0644));
            children[i] = fork();
            if (children[i] == 0) {
                char start;
                close(go[1]);
                read(go[0], &start, 1);
                _exit(renameat2(AT_FDCWD, name, AT_FDCWD, "claimed", RENAME_NOREPLACE) == 0 ? 0
                        : errno == EEXIST                                                   ? 1
                                                                                            : 2);
            }
        }
        close(go[0]);
        close(go[1]); // every child's read returns: go
        int winners = 0;
        int others = 0;
        for (int i = 0; i < RACERS; ++i) {
            int status = 0;
            waitpid(children[i], &status, 0);
            if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                winners++;
            else if (!WIFEXITED(status) || WEXITSTATUS(status) != 1)
                others++;
        }
        if (winners != 1 || others != 0) {
            say("FAIL round %d: %d winners, %d other results\n", round, winners, others);
            all_single = 0;
        }
        for (int i = 0; i < RACERS; ++i) {
            char name[32];
            snprintf(name, sizeof(name), "racer%d", i);
            unlink(name);
        }
        unlink("claimed");
    }
    check("racing NOREPLACE renames: exactly one wins each round", all_single);
}

static int same_time(struct timespec a, struct timespec b)
{
    return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

// Gives `path` an atime before its mtime (so relatime updates it); the
// ctime becomes now. Then waits past the clock's granularity.
static void make_atime_stale(const char* path)
{
    struct timespec times[2] = { { 1000000000, 0 }, { 1000000100, 0 } };
    utimensat(AT_FDCWD, path, times, 0);
    usleep(50000);
}

static struct stat stat_of(const char* path)
{
    struct stat status;
    memset(&status, 0, sizeof(status));
    stat(path, &status);
    return status;
}

static int read_one(const char* path)
{
    char byte;
    int fd = open(path, O_RDONLY);
    int got = (int)read(fd, &byte, 1);
    close(fd);
    return got;
}

static void list_directory(const char* path)
{
    DIR* directory = opendir(path);
    while (directory && readdir(directory)) { }
    if (directory)
        closedir(directory);
}

// The /proc/mounts line of the mount at `target` (under the current directory).
static void mount_line(const char* target, char* line, size_t size)
{
    char cwd[512];
    char wanted[600];
    getcwd(cwd, sizeof(cwd));
    snprintf(wanted, sizeof(wanted), " %s/%s ", strcmp(cwd, "/") == 0 ? "" : cwd, target);
    line[0] = '\0';
    FILE* file = fopen("/proc/mounts", "r");
    char buffer[1024];
    while (file && fgets(buffer, sizeof(buffer), file)) {
        if (strstr(buffer, wanted)) {
            snprintf(line, size, "%s", buffer);
            break;
        }
    }
    if (file)
        fclose(file);
}

static void family_atime(void)
{
    // The default: relatime.
    int fd = open("f", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, "data", 4);
    close(fd);
    make_atime_stale("f");
    struct stat before = stat_of("f");
    check("read works", read_one("f") == 1);
    struct stat after = stat_of("f");
    check("relatime: a read updates an atime older than the mtime", after.st_atime != 1000000000);
    check("the update leaves the ctime alone", same_time(before.st_ctim, after.st_ctim));
    check("and the mtime", same_time(before.st_mtim, after.st_mtim));
    usleep(50000);
    read_one("f");
    struct stat again = stat_of("f");
    check("relatime: a recent atime newer than mtime and ctime stays", same_time(after.st_atim, again.st_atim));
    make_atime_stale("f");
    fd = open("f", O_RDONLY);
    char byte;
    check("a read at the end of file", read(fd, &byte, 0) == 0 && pread(fd, &byte, 1, 100) == 0);
    close(fd);
    check("updates the atime too (a zero-length read does not count)", stat_of("f").st_atime != 1000000000);
    make_atime_stale("f");
    fd = open("f", O_RDONLY);
    void* map = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    check("mmap counts as an access", map != MAP_FAILED && stat_of("f").st_atime != 1000000000);
    if (map != MAP_FAILED)
        munmap(map, 4096);
    mkdir("d", 0755);
    make_atime_stale("d");
    list_directory("d");
    check("readdir updates a directory's atime", stat_of("d").st_atime != 1000000000);
    make_atime_stale("f");
    struct stat untouched = stat_of("f");
    fd = open("f", O_RDONLY);
    close(fd);
    check("open alone is no access", same_time(untouched.st_atim, stat_of("f").st_atim));
    fd = open("f", O_RDONLY | O_NOATIME);
    check("O_NOATIME read", fd >= 0 && read(fd, &byte, 1) == 1);
    close(fd);
    check("O_NOATIME: the read leaves the atime", same_time(untouched.st_atim, stat_of("f").st_atim));
    chmod("f", 0644);
    chmod(".", 0755);
    pid_t child = fork();
    if (child == 0) {
        if (setuid(1000) < 0)
            _exit(3);
        _exit(open("f", O_RDONLY | O_NOATIME) < 0 && errno == EPERM ? 0 : 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    check("O_NOATIME on another user's file: EPERM", WIFEXITED(status) && WEXITSTATUS(status) == 0);

    // exec reads the program: an access.
    int from = open(s_program, O_RDONLY);
    int to = open("prog", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    static char chunk[65536];
    long got;
    while (from >= 0 && to >= 0 && (got = read(from, chunk, sizeof(chunk))) > 0)
        write(to, chunk, (size_t)got);
    close(from);
    close(to);
    make_atime_stale("prog");
    child = fork();
    if (child == 0) {
        execl("./prog", "prog", "noop", (char*)NULL);
        _exit(127);
    }
    waitpid(child, &status, 0);
    check("the copy runs", WIFEXITED(status) && WEXITSTATUS(status) == 0);
    check("exec updates the program's atime", stat_of("prog").st_atime != 1000000000);
    unlink("prog");

    char line[1024];
    mkdir("r", 0755);
    check("mount tmpfs (no flags)", mount("none", "r", "tmpfs", 0, NULL) == 0);
    mount_line("r", line, sizeof(line));
    check("/proc/mounts shows relatime", strstr(line, " rw,relatime") != NULL);
    umount2("r", 0);

    // noatime: never.
    mkdir("n", 0755);
    check("mount tmpfs noatime", mount("none", "n", "tmpfs", MS_NOATIME, NULL) == 0);
    mount_line("n", line, sizeof(line));
    check("/proc/mounts shows noatime", strstr(line, " rw,noatime") != NULL && !strstr(line, "relatime"));
    fd = open("n/f", O_WRONLY | O_CREAT, 0644);
    write(fd, "x", 1);
    close(fd);
    make_atime_stale("n/f");
    read_one("n/f");
    check("noatime: a read leaves even a stale atime", stat_of("n/f").st_atime == 1000000000);
    umount2("n", 0);

    // strictatime: every access.
    mkdir("s", 0755);
    check("mount tmpfs strictatime", mount("none", "s", "tmpfs", MS_STRICTATIME, NULL) == 0);
    mount_line("s", line, sizeof(line));
    check("/proc/mounts shows neither relatime nor noatime",
        line[0] && !strstr(line, "relatime") && !strstr(line, "noatime"));
    fd = open("s/f", O_WRONLY | O_CREAT, 0644);
    write(fd, "x", 1);
    close(fd);
    read_one("s/f");
    struct stat first = stat_of("s/f");
    usleep(50000);
    read_one("s/f");
    check("strictatime: every read updates the atime", !same_time(first.st_atim, stat_of("s/f").st_atim));
    umount2("s", 0);

    // nodiratime: files yes, directories no.
    mkdir("x", 0755);
    check("mount tmpfs nodiratime", mount("none", "x", "tmpfs", MS_NODIRATIME, NULL) == 0);
    mount_line("x", line, sizeof(line));
    check("/proc/mounts shows nodiratime,relatime", strstr(line, " rw,nodiratime,relatime") != NULL);
    mkdir("x/d", 0755);
    make_atime_stale("x/d");
    list_directory("x/d");
    check("nodiratime: readdir leaves a directory's atime", stat_of("x/d").st_atime == 1000000000);
    fd = open("x/f", O_WRONLY | O_CREAT, 0644);
    write(fd, "x", 1);
    close(fd);
    make_atime_stale("x/f");
    read_one("x/f");
    check("nodiratime: a file's atime still follows relatime", stat_of("x/f").st_atime != 1000000000);
    umount2("x", 0);
    rmdir("r");
    rmdir("n");
    rmdir("s");
    rmdir("x");
    rmdir("d");
    unlink("f");
}

// Osprey only: a store through a shared mapping is on the device after sync().
static void family_syncmap(const char* device)
{
    static const char MARKER[] = "vfslife-syncmap-marker-7f3a91";
    int fd = open("mapped.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    check("created", fd >= 0);
    check("sized", ftruncate(fd, 2 * PAGE) == 0);
    char* map = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    check("mapped", map != MAP_FAILED);
    if (map == MAP_FAILED)
        return;
    memcpy(map + PAGE + 100, MARKER, sizeof(MARKER) - 1);
    sync();
    // Scan the raw device for the marker (the mapping is still there: not
    // munmap, msync or exit wrote it).
    int disk = open(device, O_RDONLY);
    check("device opened", disk >= 0);
    static char buffer[64 * 1024 + 64];
    int found = 0;
    long carried = 0;
    for (;;) {
        long got = read(disk, buffer + carried, 64 * 1024UL);
        if (got <= 0)
            break;
        long total = carried + got;
        if (memmem(buffer, (size_t)total, MARKER, sizeof(MARKER) - 1)) {
            found = 1;
            break;
        }
        carried = sizeof(MARKER);
        memmove(buffer, buffer + total - carried, (size_t)carried);
    }
    close(disk);
    check("sync wrote the mapped page to the device", found);
    munmap(map, 2 * PAGE);
    close(fd);
    unlink("mapped.bin");
}

int main(int argc, char** argv)
{
    if (argc < 2) {
        say("usage: vfslife_test unlinked|sigbus|noreplace|atime|syncmap <device>\n");
        return 2;
    }
    const char* family = argv[1];
    s_program = argv[0];
    if (strcmp(family, "noop") == 0)
        return 0; // run by the atime family's exec check
    char scratch[64];
    snprintf(scratch, sizeof(scratch), "vfslife_%s", family);
    mkdir(scratch, 0755);
    if (chdir(scratch) < 0) {
        say("cannot enter %s\n", scratch);
        return 2;
    }
    umask(022);
    if (strcmp(family, "unlinked") == 0)
        family_unlinked();
    else if (strcmp(family, "sigbus") == 0)
        family_sigbus();
    else if (strcmp(family, "noreplace") == 0)
        family_noreplace();
    else if (strcmp(family, "atime") == 0)
        family_atime();
    else if (strcmp(family, "syncmap") == 0 && argc == 3)
        family_syncmap(argv[2]);
    else {
        say("unknown family %s\n", family);
        return 2;
    }
    chdir("..");
    rmdir(scratch);
    say("%s: %d failed\n", family, s_failures);
    return s_failures ? 1 : 0;
}
