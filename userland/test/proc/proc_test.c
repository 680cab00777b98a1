// Process tests, one subcommand per family; every line printed is a
// deterministic observation (same on the host Linux and on Osprey), except
// the `bench` lines. Usage: proc_test <wait|cow|bomb|exec|cloexec|files|dup2|demand|bench>
// proc_test echo <args...> prints its argv and the env variable PROC_TEST.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int s_failures;

static void check(const char* what, int ok)
{
    printf("%s %s\n", ok ? "ok" : "FAIL", what);
    if (!ok)
        s_failures++;
}

static const char* s_self;

static void test_wait(void)
{
    for (int code = 0; code < 256; code += 85) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(code);
        int status = -1;
        pid_t got = waitpid(pid, &status, 0);
        char what[80];
        snprintf(what, sizeof what, "child exit %d: WIFEXITED, WEXITSTATUS %d", code, code);
        check(what, got == pid && WIFEXITED(status) && WEXITSTATUS(status) == code);
    }
    pid_t pid = fork();
    if (pid == 0) {
        volatile int* null = 0;
        *null = 1;
        _exit(0);
    }
    int status = 0;
    check("null write: waitpid returns the child", waitpid(pid, &status, 0) == pid);
    check("null write: WIFSIGNALED with SIGSEGV", WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
    check("no more children: ECHILD", waitpid(-1, &status, 0) == -1 && errno == ECHILD);
    pid = fork();
    if (pid == 0) {
        for (int i = 0; i < 2000; ++i)
            sched_yield();
        _exit(3);
    }
    check("WNOHANG before the child ends: 0", waitpid(pid, &status, WNOHANG) == 0);
    check("then the child is reaped", waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 3);
    pid = fork();
    if (pid == 0)
        _exit(getppid() == getpid() ? 1 : 0);
    check("getppid in the child is the parent", waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 0);
}

static void test_cow(void)
{
    static char page[4096] __attribute__((aligned(4096)));
    strcpy(page, "parent");
    char* heap = malloc(100);
    strcpy(heap, "heap-parent");
    pid_t pid = fork();
    if (pid == 0) {
        int ok = strcmp(page, "parent") == 0;
        strcpy(page, "child");
        strcpy(heap, "heap-child");
        ok = ok && strcmp(page, "child") == 0;
        _exit(ok ? 0 : 1);
    }
    strcpy(page, "parent2");
    int status = 0;
    waitpid(pid, &status, 0);
    check("the child saw the parent's data and its own write", WIFEXITED(status) && WEXITSTATUS(status) == 0);
    check("the parent keeps its own page", strcmp(page, "parent2") == 0);
    check("the parent keeps its own heap", strcmp(heap, "heap-parent") == 0);
}

static void test_bomb(void)
{
    int pipe_status = 0;
    pid_t pid = fork();
    if (pid == 0) {
        // Fork until the limit says EAGAIN; every child waits to be killed by
        // its parent's exit... children simply exit at once instead.
        int forked = 0;
        for (;;) {
            pid_t child = fork();
            if (child < 0) {
                _exit(errno == EAGAIN && forked > 0 ? 0 : 1);
            }
            if (child == 0) {
                for (int i = 0; i < 100; ++i)
                    sched_yield();
                _exit(0);
            }
            forked++;
            if (forked > 100000)
                _exit(2);
        }
    }
    waitpid(pid, &pipe_status, 0);
    check("a fork bomb hits EAGAIN", WIFEXITED(pipe_status) && WEXITSTATUS(pipe_status) == 0);
    for (int i = 0; i < 1000; ++i)
        sched_yield();
    pid = fork();
    if (pid == 0)
        _exit(7);
    int status = 0;
    check("fork works again afterwards", pid > 0 && waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 7);
}

static void write_file(const char* path, const void* data, size_t size, int mode)
{
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, mode);
    if (fd >= 0) {
        write(fd, data, size);
        close(fd);
    }
}

static void test_exec(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        char* argv[] = { (char*)s_self, "echo", "one", "two words", 0 };
        char* envp[] = { "PROC_TEST=passed", 0 };
        execve(s_self, argv, envp);
        _exit(99);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    check("execve child exits 42", WIFEXITED(status) && WEXITSTATUS(status) == 42);
    char* argv[] = { "x", 0 };
    check("execve of a missing file: ENOENT", execve("/no/such/file", argv, argv + 1) == -1 && errno == ENOENT);
    check("execve of a directory: EACCES", execve("/", argv, argv + 1) == -1 && errno == EACCES);
    static const char header[64] = "\x7f"
                                   "ELF\x02\x01\x01"; // the rest zero: e_type 0, no machine
    write_file("bad_elf", header, sizeof header, 0755);
    check("execve of a bad ELF header: ENOEXEC", execve("bad_elf", argv, argv + 1) == -1 && errno == ENOEXEC);
    write_file("bad_text", "hello\n", 6, 0755);
    check("execve of text without #!: ENOEXEC", execve("bad_text", argv, argv + 1) == -1 && errno == ENOEXEC);
    write_file("bad_mode", header, sizeof header, 0644);
    // Root too: execve needs an execute bit somewhere in the mode.
    check("execve without execute permission: EACCES", execve("bad_mode", argv, argv + 1) == -1 && errno == EACCES);
    unlink("bad_elf");
    unlink("bad_text");
    unlink("bad_mode");
}

static void test_cloexec(void)
{
    int fd = open("cloexec_file", O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    int plain = open("cloexec_file", O_RDWR);
    check("open O_CLOEXEC: FD_CLOEXEC set", fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
    check("open without: FD_CLOEXEC clear", plain >= 0 && fcntl(plain, F_GETFD) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        char fd_text[16], plain_text[16];
        snprintf(fd_text, sizeof fd_text, "%d", fd);
        snprintf(plain_text, sizeof plain_text, "%d", plain);
        char* argv[] = { (char*)s_self, "fdcheck", fd_text, plain_text, 0 };
        char* envp[] = { 0 };
        execve(s_self, argv, envp);
        _exit(99);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    check("after execve the O_CLOEXEC fd is closed, the other open", WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(fd);
    close(plain);
    unlink("cloexec_file");
}

static void test_files(void)
{
    mkdir("proc_test_dir", 0755);
    int fd = open("proc_test_dir/file", O_CREAT | O_EXCL | O_RDWR, 0644);
    check("create a file", fd >= 0);
    check("O_EXCL on it again: EEXIST",
        open("proc_test_dir/file", O_CREAT | O_EXCL | O_RDWR, 0644) == -1 && errno == EEXIST);
    check("write 11 bytes", write(fd, "hello world", 11) == 11);
    check("lseek to 6", lseek(fd, 6, SEEK_SET) == 6);
    char buffer[32] = { 0 };
    check("read back 5 bytes", read(fd, buffer, sizeof buffer) == 5 && memcmp(buffer, "world", 5) == 0);
    check("pread at 0", pread(fd, buffer, 5, 0) == 5 && memcmp(buffer, "hello", 5) == 0);
    struct stat st;
    check("fstat size 11", fstat(fd, &st) == 0 && st.st_size == 11 && S_ISREG(st.st_mode));
    close(fd);
    DIR* dir = opendir("proc_test_dir");
    int found = 0;
    struct dirent* entry;
    while (dir && (entry = readdir(dir)))
        found += strcmp(entry->d_name, "file") == 0;
    if (dir)
        closedir(dir);
    check("getdents64 lists it", found == 1);
    check("unlink it", unlink("proc_test_dir/file") == 0);
    check("stat after unlink: ENOENT", stat("proc_test_dir/file", &st) == -1 && errno == ENOENT);
    fd = open("proc_test_dir/a", O_CREAT | O_WRONLY | O_APPEND, 0600);
    struct iovec out[2] = { { "abc", 3 }, { "defg", 4 } };
    check("writev of two buffers: 7", writev(fd, out, 2) == 7);
    lseek(fd, 0, SEEK_SET);
    check("O_APPEND writes at the end", write(fd, "h", 1) == 1 && lseek(fd, 0, SEEK_CUR) == 8);
    close(fd);
    fd = open("proc_test_dir/a", O_RDONLY);
    char first[4] = { 0 }, second[5] = { 0 };
    struct iovec in[2] = { { first, 3 }, { second, 5 } };
    check("readv into two buffers: 8",
        readv(fd, in, 2) == 8 && strcmp(first, "abc") == 0 && memcmp(second, "defgh", 5) == 0);
    close(fd);
    check("rename a to b", rename("proc_test_dir/a", "proc_test_dir/b") == 0);
    check("a is gone", access("proc_test_dir/a", F_OK) == -1 && errno == ENOENT);
    check("chmod b to 0400",
        chmod("proc_test_dir/b", 0400) == 0 && stat("proc_test_dir/b", &st) == 0 && (st.st_mode & 0777) == 0400);
    check("symlink l -> b", symlink("b", "proc_test_dir/l") == 0);
    char target[16] = { 0 };
    check("readlink l gives b", readlink("proc_test_dir/l", target, sizeof target) == 1 && target[0] == 'b');
    check("lstat l is a link, stat l a file",
        lstat("proc_test_dir/l", &st) == 0 && S_ISLNK(st.st_mode) && stat("proc_test_dir/l", &st) == 0
            && S_ISREG(st.st_mode));
    check("O_NOFOLLOW on the link: ELOOP", open("proc_test_dir/l", O_RDONLY | O_NOFOLLOW) == -1 && errno == ELOOP);
    check("O_DIRECTORY on a file: ENOTDIR", open("proc_test_dir/b", O_RDONLY | O_DIRECTORY) == -1 && errno == ENOTDIR);
    check("rmdir of a non-empty directory: ENOTEMPTY", rmdir("proc_test_dir") == -1 && errno == ENOTEMPTY);
    unlink("proc_test_dir/l");
    unlink("proc_test_dir/b");
    check("rmdir the directory", rmdir("proc_test_dir") == 0);
    check("chdir /etc and getcwd", chdir("/etc") == 0 && getcwd(buffer, sizeof buffer) && strcmp(buffer, "/etc") == 0);
    check("relative open from the cwd", (fd = open("hostname", O_RDONLY)) >= 0);
    close(fd);
    chdir("/");
}

static void test_dup2(void)
{
    int fd = open("dup2_out", O_CREAT | O_TRUNC | O_WRONLY, 0644);
    int saved = dup(1);
    check("dup2 onto stdout", dup2(fd, 1) == 1);
    write(1, "redirected\n", 11);
    dup2(saved, 1);
    close(saved);
    close(fd);
    char buffer[32] = { 0 };
    fd = open("dup2_out", O_RDONLY);
    check("the file got the write", read(fd, buffer, sizeof buffer) == 11 && strcmp(buffer, "redirected\n") == 0);
    close(fd);
    unlink("dup2_out");
    check("dup2 of a bad fd: EBADF", dup2(1000, 5) == -1 && errno == EBADF);
    int copy = fcntl(1, F_DUPFD_CLOEXEC, 100);
    check("F_DUPFD_CLOEXEC: lowest fd >= 100, close-on-exec", copy == 100 && fcntl(copy, F_GETFD) == FD_CLOEXEC);
    check("dup3 with O_CLOEXEC", dup3(1, 101, O_CLOEXEC) == 101 && fcntl(101, F_GETFD) == FD_CLOEXEC);
    check("dup3 onto itself: EINVAL", dup3(101, 101, 0) == -1 && errno == EINVAL);
    check("F_SETFD 0 clears it", fcntl(101, F_SETFD, 0) == 0 && fcntl(101, F_GETFD) == 0);
    check("F_GETFL of a write-only file",
        (fd = open("dup2_flags", O_CREAT | O_WRONLY, 0644)) >= 0 && (fcntl(fd, F_GETFL) & O_ACCMODE) == O_WRONLY);
    check("read from a write-only fd: EBADF", read(fd, buffer, 1) == -1 && errno == EBADF);
    close(fd);
    unlink("dup2_flags");
    close(100);
    close(101);
    check("close of a closed fd: EBADF", close(101) == -1 && errno == EBADF);
}

struct linux_sysinfo {
    long uptime;
    unsigned long loads[3];
    unsigned long totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    unsigned short procs, pad;
    unsigned long totalhigh, freehigh;
    unsigned int mem_unit;
    char reserved[4];
};

static long free_bytes(void)
{
    struct linux_sysinfo info;
    if (syscall(SYS_sysinfo, &info) != 0)
        return -1;
    return (long)(info.freeram * info.mem_unit);
}

static void test_demand(void)
{
    const size_t mib = (size_t)1024 * 1024;
    long before = free_bytes();
    char* memory = mmap(0, 256 * mib, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check("mmap 256 MiB", memory != MAP_FAILED);
    long after_map = free_bytes();
    check("the mapping alone takes under 1 MiB", before - after_map < (long)mib);
    for (size_t i = 0; i < 64 * mib; i += 4096)
        memory[i] = 1;
    long after_touch = free_bytes();
    long used = after_map - after_touch;
    check("touching 64 MiB takes 64 MiB (+/- 2 MiB)", used > (long)(62 * mib) && used < (long)(66 * mib));
    check("untouched pages read as zero", memory[100 * mib] == 0 && memory[64 * mib + 5] == 0);
    pid_t pid = fork();
    if (pid == 0) {
        long child_before = free_bytes();
        for (size_t i = 0; i < 8 * mib; i += 4096)
            memory[i] = 2;
        long copied = child_before - free_bytes();
        int ok = memory[0] == 2 && copied > (long)(7 * mib) && copied < (long)(10 * mib);
        _exit(ok ? 0 : 1);
    }
    long after_fork = free_bytes();
    check("fork shares the touched pages (under 4 MiB for the copy)", after_touch - after_fork < (long)(4 * mib));
    int status = 0;
    waitpid(pid, &status, 0);
    check("the child's writes copy only what it wrote", WIFEXITED(status) && WEXITSTATUS(status) == 0);
    check("the parent still sees its own data", memory[0] == 1);
    munmap(memory, 256 * mib);
    check("munmap gives it back (within 1 MiB)", before - free_bytes() < (long)mib);
}

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void bench(void)
{
    long long start = now_ns();
    for (int i = 0; i < 10000; ++i)
        getpid();
    printf("BENCH getpid %lld ns\n", (now_ns() - start) / 10000);
    start = now_ns();
    for (int i = 0; i < 50; ++i) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        waitpid(pid, 0, 0);
    }
    printf("BENCH fork_exit_wait %lld us\n", (now_ns() - start) / 50 / 1000);
    start = now_ns();
    for (int i = 0; i < 20; ++i) {
        pid_t pid = fork();
        if (pid == 0) {
            char* argv[] = { (char*)s_self, "true", 0 };
            char* envp[] = { 0 };
            execve(s_self, argv, envp);
            _exit(99);
        }
        waitpid(pid, 0, 0);
    }
    printf("BENCH fork_execve_wait %lld us\n", (now_ns() - start) / 20 / 1000);
    size_t pages = 4096;
    char* memory = mmap(0, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    start = now_ns();
    for (size_t i = 0; i < pages; ++i)
        memory[i * 4096] = 1;
    printf("BENCH page_fault_anon %lld ns/page\n", (now_ns() - start) / (long long)pages);
    munmap(memory, pages * 4096);
}

int main(int argc, char** argv)
{
    s_self = argv[0];
    if (argc < 2) {
        printf("usage: proc_test <wait|cow|bomb|exec|cloexec|files|dup2|demand|bench>\n");
        return 2;
    }
    const char* what = argv[1];
    if (strcmp(what, "true") == 0)
        return 0;
    if (strcmp(what, "echo") == 0) {
        for (int i = 0; i < argc; ++i)
            printf("argv[%d] = %s\n", i, i == 0 ? "(self)" : argv[i]);
        const char* value = getenv("PROC_TEST");
        printf("PROC_TEST = %s\n", value ? value : "(unset)");
        return 42;
    }
    if (strcmp(what, "fdcheck") == 0) {
        int closed = fcntl(atoi(argv[2]), F_GETFD) == -1 && errno == EBADF;
        int open_fd = fcntl(atoi(argv[3]), F_GETFD) == 0;
        return closed && open_fd ? 0 : 1;
    }
    if (strcmp(what, "wait") == 0)
        test_wait();
    else if (strcmp(what, "cow") == 0)
        test_cow();
    else if (strcmp(what, "bomb") == 0)
        test_bomb();
    else if (strcmp(what, "exec") == 0)
        test_exec();
    else if (strcmp(what, "cloexec") == 0)
        test_cloexec();
    else if (strcmp(what, "files") == 0)
        test_files();
    else if (strcmp(what, "dup2") == 0)
        test_dup2();
    else if (strcmp(what, "demand") == 0)
        test_demand();
    else if (strcmp(what, "bench") == 0)
        bench();
    else {
        printf("unknown test %s\n", what);
        return 2;
    }
    printf("%s: %d failed\n", what, s_failures);
    return s_failures ? 1 : 0;
}
