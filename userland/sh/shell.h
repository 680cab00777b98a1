#pragma once

// The state of one shell process, and the entry points that run shell code.
//
// g_shell.interactive is true only for the top-level shell reading a
// terminal: it enables line editing, history and job notifications, and job
// control (process groups, the terminal's foreground group) when the
// terminal is the shell's controlling terminal. A forked child that keeps
// running shell code (a subshell, a builtin in a pipeline, a command
// substitution) calls shell_enter_subshell(), which turns all of that off.

#include "util.h"
#include <stdbool.h>
#include <sys/types.h>
#include <termios.h>

typedef struct {
    bool interactive;
    bool job_control;          // process groups and the terminal's foreground group
    int last_status;           // $?
    pid_t shell_pid;           // $$ (the top-level shell's pid, also in subshells)
    pid_t last_background_pid; // $!
    pid_t shell_pgid;
    int terminal_fd;
    struct termios terminal_modes; // restored whenever the shell takes the terminal back
    char* name;                    // $0
    StringList positional;         // $1, $2, ...
    bool exit_requested;           // set by the `exit` builtin
    int substitution_status;       // status of the last command substitution
} Shell;

extern Shell g_shell;

void shell_enter_subshell(void);
// Parses and runs a whole string (sh -c, command substitution). Returns the
// status of the last command; a syntax error is reported and gives 2.
int shell_run_string(const char* source);
// Runs the commands read from `fd` line by line (a script, or stdin when it
// is not a terminal) or from the line editor when interactive.
int shell_run_fd(int fd);
// Runs the file at `path` as a script in this process, with $0 = path and
// the given positional parameters. Returns 127 (and reports) if it cannot
// be opened.
int shell_run_script(const char* path, char* const* arguments, size_t count);
