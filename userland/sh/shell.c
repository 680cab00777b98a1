// The read-parse-execute loop and the shell's global state.
//
// Lines are accumulated until they parse as complete commands (an open
// quote, a trailing | or && or an unclosed "(" asks for more, with the "> "
// prompt), then the whole list runs. An interactive shell reports job state
// changes before each prompt and records each command in the history.

#include "shell.h"
#include "exec.h"
#include "history.h"
#include "input.h"
#include "jobs.h"
#include "parser.h"
#include "variables.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

Shell g_shell;

void shell_enter_subshell(void)
{
    g_shell.interactive = false;
    g_shell.job_control = false;
    jobs_forget_all();
}

// "<cwd>$ ", with $HOME shown as ~, and "# " for root. $PS1 replaces it.
static void build_prompt(char* prompt, size_t size)
{
    const char* custom = variable_get("PS1");
    if (custom) {
        snprintf(prompt, size, "%s", custom);
        return;
    }
    char directory[PATH_MAX];
    if (!getcwd(directory, sizeof(directory)))
        snprintf(directory, sizeof(directory), "?");
    const char* home = variable_get("HOME");
    size_t home_length = home ? strlen(home) : 0;
    const char* shown = directory;
    const char* tilde = "";
    if (home_length > 1 && strncmp(directory, home, home_length) == 0
        && (directory[home_length] == '\0' || directory[home_length] == '/')) {
        tilde = "~";
        shown = directory + home_length;
    }
    snprintf(prompt, size, "%s%s%s ", tilde, shown, geteuid() == 0 ? "#" : "$");
}

static void report_syntax_error(ParseStatus status, char* token)
{
    if (status == ParseIncomplete)
        shell_error("syntax error: unexpected end of file");
    else
        shell_error("syntax error near unexpected token `%s'", token ? token : "?");
    free(token);
    g_shell.last_status = 2;
}

int shell_run_string(const char* source)
{
    List* list;
    char* token;
    ParseStatus status = parse(source, &list, &token);
    if (status != ParseOk) {
        report_syntax_error(status, token);
        return g_shell.last_status;
    }
    execute_list(list);
    list_free(list);
    return g_shell.last_status;
}

int shell_run_fd(int fd)
{
    Input input;
    input_init(&input, fd, g_shell.interactive);
    StringBuffer pending = { 0 };
    char prompt[PATH_MAX + 16];
    while (!g_shell.exit_requested) {
        if (g_shell.interactive) {
            jobs_notify(NotifyReport);
            if (pending.length == 0)
                build_prompt(prompt, sizeof(prompt));
        }
        char* line;
        LineResult result = input_read_line(&input, pending.length ? "> " : prompt, &line);
        if (result == LineInterrupted) {
            free(line);
            sb_clear(&pending);
            g_shell.last_status = 130;
            continue;
        }
        if (result == LineEndOfInput) {
            if (pending.length)
                report_syntax_error(ParseIncomplete, NULL);
            if (g_shell.interactive)
                fputs("exit\n", stderr);
            break;
        }
        sb_append(&pending, line);
        sb_append_char(&pending, '\n');
        free(line);

        List* list;
        char* token;
        ParseStatus status = parse(pending.data, &list, &token);
        if (status == ParseIncomplete)
            continue;
        if (g_shell.interactive)
            history_add(pending.data);
        sb_clear(&pending);
        if (status == ParseError) {
            report_syntax_error(status, token);
            if (!g_shell.interactive)
                break;
            continue;
        }
        execute_list(list);
        list_free(list);
    }
    sb_free(&pending);
    return g_shell.last_status;
}

int shell_run_script(const char* path, char* const* arguments, size_t count)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        shell_error("%s: %s", path, strerror(errno));
        return 127;
    }
    g_shell.name = xstrdup(path);
    string_list_free(&g_shell.positional);
    for (size_t i = 0; i < count; ++i)
        string_list_push(&g_shell.positional, xstrdup(arguments[i]));
    int status = shell_run_fd(fd);
    close(fd);
    return status;
}
