// Running out of memory. Two families, one per argument:
//   limits   a single mapping or brk growth larger than all of memory fails
//            with ENOMEM, and small ones still work afterwards. Safe on
//            any machine: the host Linux prints the same transcript
//            (expected_limits.txt).
//   exhaust  children that touch ever more memory (mmap, brk, and mmap
//            with a SIGSEGV handler) until none is left: each is killed
//            with SIGKILL, having touched most of memory; a child whose
//            copy-on-write copies exceed memory is killed the same way;
//            afterwards the parent maps, touches and forks as before. Osprey only:
//            on the host this would call the OOM killer on a shared machine.
// Lines: "ok <check>" or "FAIL <check>", then "<family>: <n> failed".
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB         (1024L * 1024L)
#define HUGE_LENGTH ((size_t)64 << 40) // 64 TiB: more than any test machine has
#define SYS_SYSINFO 99

static int s_failures;

static void check(const char* what, int ok)
{
    printf("%s %s\n", ok ? "ok" : "FAIL", what);
    fflush(stdout);
    if (!ok)
        s_failures++;
}

static int map_and_touch(size_t length)
{
    char* memory = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED)
        return 0;
    for (size_t offset = 0; offset < length; offset += 4096)
        memory[offset] = 1;
    int ok = memory[length - 1] == 0 && memory[0] == 1;
    munmap(memory, length);
    return ok;
}

static int limits(void)
{
    errno = 0;
    void* huge = mmap(NULL, HUGE_LENGTH, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check("mmap of 64 TiB: ENOMEM", huge == MAP_FAILED && errno == ENOMEM);
    errno = 0;
    void* old_break = sbrk(0);
    check("brk growth of 64 TiB: ENOMEM", sbrk((intptr_t)HUGE_LENGTH) == (void*)-1 && errno == ENOMEM);
    check("the break did not move", sbrk(0) == old_break);
    errno = 0;
    check("malloc of 64 TiB: NULL, ENOMEM", malloc(HUGE_LENGTH) == NULL && errno == ENOMEM);
    check("16 MiB mapped and touched afterwards", map_and_touch(16 * MIB));
    check("brk still grows by 1 MiB", sbrk(MIB) == old_break && sbrk(0) == (char*)old_break + MIB);
    sbrk(-MIB);
    return s_failures;
}

// sysinfo(2)'s first fields: uptime, loads, totalram, ... in mem_unit units.
struct system_info {
    long uptime;
    unsigned long loads[3];
    unsigned long totalram;
    unsigned long freeram;
    unsigned long sharedram;
    unsigned long bufferram;
    unsigned long totalswap;
    unsigned long freeswap;
    unsigned short procs;
    unsigned short pad;
    unsigned long totalhigh;
    unsigned long freehigh;
    unsigned int mem_unit;
    char reserved[256];
};

static long total_mib(void)
{
    struct system_info info;
    memset(&info, 0, sizeof(info));
    if (syscall(SYS_SYSINFO, &info) != 0)
        return -1;
    return (long)(info.totalram * (info.mem_unit ? info.mem_unit : 1) / MIB);
}

enum Eater { EAT_MMAP, EAT_BRK, EAT_MMAP_WITH_HANDLER };

static void ignore_segv(int signal)
{
    (void)signal;
}

// Touches 1 MiB after 1 MiB until the kernel stops it; reports each MiB
// on `report` (one byte per MiB).
static void eat(enum Eater how, int report)
{
    if (how == EAT_MMAP_WITH_HANDLER) {
        struct sigaction action;
        memset(&action, 0, sizeof(action));
        action.sa_handler = ignore_segv;
        sigaction(SIGSEGV, &action, NULL);
        sigaction(SIGBUS, &action, NULL);
    }
    for (;;) {
        char* chunk;
        if (how == EAT_BRK) {
            chunk = sbrk(MIB);
            if (chunk == (void*)-1)
                _exit(3);
        } else {
            chunk = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (chunk == MAP_FAILED)
                _exit(3);
        }
        for (long offset = 0; offset < MIB; offset += 4096)
            chunk[offset] = 1;
        write(report, "m", 1);
    }
}

static void exhaust_with(enum Eater how, const char* name, long total)
{
    int fds[2];
    pipe(fds);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        eat(how, fds[1]);
    }
    close(fds[1]);
    long eaten = 0;
    char buffer[256];
    long got;
    while ((got = read(fds[0], buffer, sizeof(buffer))) > 0)
        eaten += got;
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    char what[160];
    snprintf(what, sizeof(what), "%s: killed by SIGKILL", name);
    check(what, WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    snprintf(what, sizeof(what), "%s: touched most of memory first", name);
    check(what, eaten * 4 >= total * 3);
    printf("%s: touched %ld MiB of %ld MiB\n", name, eaten, total);
}

// Copy-on-write beyond memory: the parent fills 60% of memory, a child
// writes every page of it, so each write needs a copy; the child runs out
// and is killed, the parent's pages keep their contents.
static void exhaust_by_copy_on_write(long total)
{
    size_t length = (size_t)(total * 6 / 10) * MIB;
    unsigned char* memory = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
        check("copy-on-write: the parent maps 60% of memory", 0);
        return;
    }
    for (size_t offset = 0; offset < length; offset += 4096)
        memory[offset] = (unsigned char)(offset >> 12);
    pid_t pid = fork();
    if (pid == 0) {
        for (size_t offset = 0; offset < length; offset += 4096)
            memory[offset] = 0xff;
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    check("copy-on-write beyond memory: the child is killed by SIGKILL",
        WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    int intact = 1;
    for (size_t offset = 0; offset < length; offset += 4096)
        intact &= memory[offset] == (unsigned char)(offset >> 12);
    check("copy-on-write beyond memory: the parent's pages are intact", intact);
    munmap(memory, length);
}

static int exhaust(void)
{
    long total = total_mib();
    check("sysinfo gives the memory size", total > 0);
    exhaust_with(EAT_MMAP, "mmap and touch", total);
    exhaust_with(EAT_BRK, "brk and touch", total);
    exhaust_with(EAT_MMAP_WITH_HANDLER, "mmap and touch, SIGSEGV handled", total);
    exhaust_by_copy_on_write(total);
    check("afterwards 64 MiB mapped and touched", map_and_touch(64 * MIB));
    pid_t pid = fork();
    if (pid == 0)
        _exit(map_and_touch(64 * MIB) ? 0 : 1);
    int status = 0;
    waitpid(pid, &status, 0);
    check("afterwards a child maps and touches 64 MiB", WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return s_failures;
}

int main(int argc, char** argv)
{
    if (argc != 2 || (strcmp(argv[1], "limits") != 0 && strcmp(argv[1], "exhaust") != 0)) {
        fprintf(stderr, "usage: oom_test limits|exhaust\n");
        return 2;
    }
    int failed = strcmp(argv[1], "limits") == 0 ? limits() : exhaust();
    printf("%s: %d failed\n", argv[1], failed);
    return failed ? 1 : 0;
}
