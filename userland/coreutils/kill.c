// kill [-s SIGNAL | -SIGNAL | -N] pid...: sends a signal (SIGTERM by
// default) to processes; a negative pid names a process group.
// kill -l lists the signal names; kill -l N (or 128+N, an exit status)
// prints the name of signal N, kill -l NAME its number.

#include "lib/utility.h"
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char* const s_names[] = {
    [SIGHUP] = "HUP",
    [SIGINT] = "INT",
    [SIGQUIT] = "QUIT",
    [SIGILL] = "ILL",
    [SIGTRAP] = "TRAP",
    [SIGABRT] = "ABRT",
    [SIGBUS] = "BUS",
    [SIGFPE] = "FPE",
    [SIGKILL] = "KILL",
    [SIGUSR1] = "USR1",
    [SIGSEGV] = "SEGV",
    [SIGUSR2] = "USR2",
    [SIGPIPE] = "PIPE",
    [SIGALRM] = "ALRM",
    [SIGTERM] = "TERM",
    [SIGSTKFLT] = "STKFLT",
    [SIGCHLD] = "CHLD",
    [SIGCONT] = "CONT",
    [SIGSTOP] = "STOP",
    [SIGTSTP] = "TSTP",
    [SIGTTIN] = "TTIN",
    [SIGTTOU] = "TTOU",
    [SIGURG] = "URG",
    [SIGXCPU] = "XCPU",
    [SIGXFSZ] = "XFSZ",
    [SIGVTALRM] = "VTALRM",
    [SIGPROF] = "PROF",
    [SIGWINCH] = "WINCH",
    [SIGIO] = "IO",
    [SIGPWR] = "PWR",
    [SIGSYS] = "SYS",
};
#define NAME_COUNT ((int)(sizeof(s_names) / sizeof(s_names[0])))

static bool parse_number(const char* text, long* value)
{
    char* end;
    errno = 0;
    *value = strtol(text, &end, 10);
    return *text && !*end && !errno;
}

// A signal from "9", "KILL", "SIGKILL" or "kill". -1 if unknown.
static int parse_signal(const char* text)
{
    long number;
    if (parse_number(text, &number))
        return number >= 0 && number < NSIG ? (int)number : -1;
    if (strncasecmp(text, "SIG", 3) == 0)
        text += 3;
    for (int signal = 1; signal < NAME_COUNT; ++signal) {
        if (s_names[signal] && strcasecmp(text, s_names[signal]) == 0)
            return signal;
    }
    return -1;
}

static int list_signals(int argc, char** argv)
{
    if (argc == 0) {
        for (int signal = 1; signal < NAME_COUNT; ++signal)
            printf("%s%c", s_names[signal], signal + 1 < NAME_COUNT ? ' ' : '\n');
        return 0;
    }
    int status = 0;
    for (int i = 0; i < argc; ++i) {
        long number;
        if (parse_number(argv[i], &number)) {
            if (number > 128)
                number -= 128; // an exit status of a killed process
            if (number > 0 && number < NAME_COUNT) {
                printf("%s\n", s_names[number]);
                continue;
            }
        } else {
            int signal = parse_signal(argv[i]);
            if (signal > 0) {
                printf("%d\n", signal);
                continue;
            }
        }
        report("%s: invalid signal specification", argv[i]);
        status = 1;
    }
    return status;
}

int main(int argc, char** argv)
{
    g_program_name = "kill";
    int signal = SIGTERM;
    int index = 1;
    if (index < argc && (strcmp(argv[index], "-l") == 0 || strcmp(argv[index], "-L") == 0))
        return list_signals(argc - 2, argv + 2);
    if (index < argc && strcmp(argv[index], "-s") == 0) {
        if (index + 1 >= argc) {
            report("option requires an argument -- 's'");
            return 1;
        }
        signal = parse_signal(argv[index + 1]);
        if (signal < 0) {
            report("%s: invalid signal specification", argv[index + 1]);
            return 1;
        }
        index += 2;
    } else if (index < argc && argv[index][0] == '-' && argv[index][1] && strcmp(argv[index], "--") != 0) {
        signal = parse_signal(argv[index] + 1);
        if (signal < 0) {
            report("%s: invalid signal specification", argv[index] + 1);
            return 1;
        }
        ++index;
    }
    if (index < argc && strcmp(argv[index], "--") == 0)
        ++index;
    if (index == argc) {
        fprintf(stderr, "usage: kill [-s signal | -signal] pid... | kill -l [signal]\n");
        return 2;
    }
    int status = 0;
    for (; index < argc; ++index) {
        long pid;
        if (!parse_number(argv[index], &pid)) {
            report("%s: arguments must be process or job IDs", argv[index]);
            status = 1;
            continue;
        }
        if (kill((pid_t)pid, signal) < 0) {
            report_errno("(%ld)", pid);
            status = 1;
        }
    }
    return status;
}
