// sh: Osprey's shell.
//
//   sh                      interactive on a terminal, else commands from stdin
//   sh -c 'commands' [name [arguments...]]
//   sh script [arguments...]
//
// An interactive shell with a controlling terminal does job control: it puts
// itself in its own process group, takes the terminal, and ignores the
// keyboard signals (SIGINT, SIGQUIT, SIGTSTP) and SIGTTIN/SIGTTOU, which its
// children get back (exec.c). See POSIX XCU 2.11 and bash's "Job Control".

#include "jobs.h"
#include "shell.h"
#include "variables.h"
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: sh [-i] [-c command [name [argument...]] | script [argument...]]\n");
}

static void start_job_control(void)
{
    int terminal = STDIN_FILENO;
    g_shell.terminal_fd = terminal;
    // Wait to be in the foreground if started from another shell's background.
    for (;;) {
        pid_t foreground = tcgetpgrp(terminal);
        if (foreground < 0) {
            fprintf(stderr, "sh: no job control in this shell: %s\n", strerror(errno));
            return;
        }
        if (foreground == getpgrp())
            break;
        kill(-getpgrp(), SIGTTIN);
    }
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    signal(SIGTSTP, SIG_IGN);
    signal(SIGTTIN, SIG_IGN);
    signal(SIGTTOU, SIG_IGN);
    pid_t pid = getpid();
    if (getpgrp() != pid && setpgid(pid, pid) < 0) {
        fprintf(stderr, "sh: cannot make a process group: %s\n", strerror(errno));
        return;
    }
    g_shell.shell_pgid = pid;
    tcsetpgrp(terminal, pid);
    tcgetattr(terminal, &g_shell.terminal_modes);
    g_shell.job_control = true;
}

static void initialize_variables(void)
{
    variables_import(environ);
    if (!variable_get("PATH")) {
        variable_set("PATH", "/bin:/sbin:/usr/bin:/usr/sbin");
        variable_export("PATH");
    }
    char directory[PATH_MAX];
    if (getcwd(directory, sizeof(directory))) {
        variable_set("PWD", directory);
        variable_export("PWD");
    }
}

int main(int argc, char** argv)
{
    g_shell.shell_pid = getpid();
    g_shell.name = argv[0] ? argv[0] : "sh";
    // Children must be waitable even if our parent ignored SIGCHLD.
    signal(SIGCHLD, SIG_DFL);
    initialize_variables();

    bool force_interactive = false;
    int index = 1;
    for (; index < argc && argv[index][0] == '-' && argv[index][1]; ++index) {
        const char* option = argv[index];
        if (strcmp(option, "--") == 0) {
            ++index;
            break;
        }
        if (strcmp(option, "-i") == 0) {
            force_interactive = true;
            continue;
        }
        if (strcmp(option, "-c") == 0) {
            if (index + 1 >= argc) {
                fprintf(stderr, "sh: -c: option requires an argument\n");
                return 2;
            }
            const char* command = argv[index + 1];
            if (index + 2 < argc)
                g_shell.name = argv[index + 2];
            for (int i = index + 3; i < argc; ++i)
                string_list_push(&g_shell.positional, xstrdup(argv[i]));
            int status = shell_run_string(command);
            fflush(stdout);
            return status;
        }
        fprintf(stderr, "sh: %s: invalid option\n", option);
        usage();
        return 2;
    }

    int status;
    if (index < argc) {
        status = shell_run_script(argv[index], argv + index + 1, (size_t)(argc - index - 1));
    } else {
        g_shell.interactive = force_interactive || (isatty(STDIN_FILENO) && isatty(STDERR_FILENO));
        if (g_shell.interactive && isatty(STDIN_FILENO))
            start_job_control();
        status = shell_run_fd(STDIN_FILENO);
        if (g_shell.interactive)
            jobs_hang_up_stopped();
    }
    fflush(stdout);
    return status;
}
