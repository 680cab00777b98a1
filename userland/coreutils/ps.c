// ps: lists processes from /proc, sorted by pid:
//     PID  PPID STATE     TIME    CSW THR NAME             COMMAND
//       1     0 S      0:00.01     42   1 init             /sbin/init
// NAME, STATE, PPID and THR (the thread count) come from the "Name:",
// "State:", "PPid:" and "Threads:" lines of
// /proc/<pid>/status (Linux's format; STATE is the state letter), CSW is the
// sum of its voluntary_ctxt_switches and nonvoluntary_ctxt_switches, TIME
// the CPU time (utime + stime of /proc/<pid>/stat) as minutes:seconds, COMMAND
// from /proc/<pid>/cmdline (arguments separated by NULs), or "[name]" when
// it is empty (a kernel thread); control characters in it print as '?'.
// Without /proc it says so and fails.

#include "lib/utility.h"
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    long pid;
    long parent;
    char state;
    unsigned long long switches;
    long threads;
    unsigned long long cpu_ticks; // USER_HZ: 100 per second
    char name[64];
    char command[256];
} ProcessInfo;

static int compare_pids(const void* left, const void* right)
{
    long a = ((const ProcessInfo*)left)->pid;
    long b = ((const ProcessInfo*)right)->pid;
    return (a > b) - (a < b);
}

// Reads up to size-1 bytes of a small file; -1 if it cannot be opened.
static ssize_t read_small_file(const char* path, char* buffer, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t length = 0;
    ssize_t count;
    while (length + 1 < size && (count = read(fd, buffer + length, size - 1 - length)) > 0)
        length += (size_t)count;
    close(fd);
    buffer[length] = '\0';
    return (ssize_t)length;
}

// utime + stime from /proc/<pid>/stat (fields 14 and 15, counted after the
// ")" that ends the name, which may itself hold spaces); 0 if unreadable.
static unsigned long long read_cpu_ticks(long pid)
{
    char path[64];
    char text[1024];
    snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
    if (read_small_file(path, text, sizeof(text)) <= 0)
        return 0;
    char* field = strrchr(text, ')');
    if (!field)
        return 0;
    // After ")": state is field 3, so utime (14) is 11 fields further on.
    for (int skipped = 0; skipped < 12 && field; ++skipped)
        field = strchr(field + 1, ' ');
    if (!field)
        return 0;
    char* end;
    unsigned long long user = strtoull(field + 1, &end, 10);
    unsigned long long system = strtoull(end, NULL, 10);
    return user + system;
}

// A process may exit while we read it: then it is simply skipped.
static bool read_process(long pid, ProcessInfo* info)
{
    char path[64];
    char text[4096];
    snprintf(path, sizeof(path), "/proc/%ld/status", pid);
    if (read_small_file(path, text, sizeof(text)) < 0)
        return false;
    *info = (ProcessInfo) { .pid = pid, .state = '?' };
    for (char* line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char* value = strchr(line, ':');
        if (!value)
            continue;
        *value++ = '\0';
        value += strspn(value, " \t");
        if (strcmp(line, "Name") == 0)
            snprintf(info->name, sizeof(info->name), "%s", value);
        else if (strcmp(line, "State") == 0)
            info->state = (char)(value[0] ? value[0] : '?');
        else if (strcmp(line, "Threads") == 0)
            info->threads = strtol(value, NULL, 10);
        else if (strcmp(line, "PPid") == 0)
            info->parent = strtol(value, NULL, 10);
        else if (strcmp(line, "voluntary_ctxt_switches") == 0 || strcmp(line, "nonvoluntary_ctxt_switches") == 0)
            info->switches += strtoull(value, NULL, 10);
    }
    info->cpu_ticks = read_cpu_ticks(pid);
    snprintf(path, sizeof(path), "/proc/%ld/cmdline", pid);
    ssize_t length = read_small_file(path, info->command, sizeof(info->command));
    if (length <= 0) {
        snprintf(info->command, sizeof(info->command), "[%s]", info->name);
        return true;
    }
    while (length > 0 && info->command[length - 1] == '\0')
        --length;
    // One process per line: NULs separate arguments, and any other control
    // byte (an argument may hold a newline) prints as '?', as procps does.
    for (ssize_t i = 0; i < length; ++i) {
        unsigned char byte = (unsigned char)info->command[i];
        if (byte == '\0')
            info->command[i] = ' ';
        else if (iscntrl(byte))
            info->command[i] = '?';
    }
    info->command[length] = '\0';
    return true;
}

int main(void)
{
    g_program_name = "ps";
    DIR* proc = opendir("/proc");
    if (!proc) {
        report_errno("/proc (is /proc mounted?)");
        return 1;
    }
    ProcessInfo* processes = NULL;
    size_t count = 0;
    struct dirent* entry;
    while ((entry = readdir(proc))) {
        if (!isdigit((unsigned char)entry->d_name[0]))
            continue;
        ProcessInfo info;
        if (!read_process(strtol(entry->d_name, NULL, 10), &info))
            continue;
        ProcessInfo* grown = realloc(processes, (count + 1) * sizeof(ProcessInfo));
        if (!grown) {
            report("out of memory");
            closedir(proc);
            return 1;
        }
        processes = grown;
        processes[count++] = info;
    }
    closedir(proc);
    qsort(processes, count, sizeof(ProcessInfo), compare_pids);
    printf("%5s %5s %-5s %9s %6s %3s %-16s %s\n", "PID", "PPID", "STATE", "TIME", "CSW", "THR", "NAME", "COMMAND");
    for (size_t i = 0; i < count; ++i) {
        const ProcessInfo* info = &processes[i];
        unsigned long long minutes = info->cpu_ticks / 6000;
        unsigned long long hundredths = info->cpu_ticks % 6000;
        printf("%5ld %5ld %-5c %3llu:%02llu.%02llu %6llu %3ld %-16s %s\n", info->pid, info->parent, info->state,
            minutes, hundredths / 100, hundredths % 100, info->switches, info->threads, info->name, info->command);
    }
    free(processes);
    return 0;
}
