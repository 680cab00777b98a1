// The executor (POSIX XCU 2.9.1-2.9.3).
//
// A pipeline is expanded in the shell first (so $? and assignments read the
// shell's state), then:
// - a lone builtin, or a command of only assignments, runs in the shell with
//   its redirections applied and undone around it;
// - anything else becomes a job: one child per command, connected by pipes,
//   all in the job's process group when there is job control. Both the
//   parent and the child call setpgid, so the group exists before either one
//   relies on it (the usual race, POSIX setpgid rationale).
// A background list with && or || runs in one subshell child as one job.

#include "exec.h"
#include "builtins.h"
#include "expand.h"
#include "jobs.h"
#include "redirect.h"
#include "shell.h"
#include "variables.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef enum {
    RunForeground,
    RunBackground,
} RunMode;

// A simple command after expansion.
typedef struct {
    StringList argv;
    StringList assignments; // "NAME=value"
} Prepared;

static bool is_assignment(const char* word)
{
    const char* equals = strchr(word, '=');
    return equals && is_valid_name(word, (size_t)(equals - word));
}

static bool prepare(const Command* command, Prepared* prepared)
{
    if (command->kind != CommandSimple)
        return true;
    size_t index = 0;
    for (; index < command->words.count && is_assignment(command->words.items[index]); ++index) {
        const char* word = command->words.items[index];
        const char* equals = strchr(word, '=');
        char* value = expand_word(equals + 1);
        if (!value)
            return false;
        char* assignment;
        if (asprintf(&assignment, "%.*s=%s", (int)(equals - word), word, value) < 0)
            assignment = xstrdup("");
        free(value);
        string_list_push(&prepared->assignments, assignment);
    }
    return expand_words(command->words.items + index, command->words.count - index, &prepared->argv);
}

static void prepared_free(Prepared* prepared)
{
    string_list_free(&prepared->argv);
    string_list_free(&prepared->assignments);
}

static void assign_in_shell(const StringList* assignments)
{
    for (size_t i = 0; i < assignments->count; ++i) {
        char* name = xstrdup(assignments->items[i]);
        char* equals = strchr(name, '=');
        *equals = '\0';
        variable_set(name, equals + 1);
        free(name);
    }
}

static int run_in_shell(const Command* command, const Prepared* prepared)
{
    RedirectUndo undo = { 0 };
    int status;
    if (!redirections_apply(command->redirects, command->redirect_count, &undo)) {
        status = 1;
    } else if (prepared->argv.count == 0) {
        assign_in_shell(&prepared->assignments);
        status = g_shell.substitution_status;
    } else {
        BuiltinFunction builtin = builtin_find(prepared->argv.items[0]);
        status = builtin((int)prepared->argv.count, prepared->argv.items);
    }
    fflush(stdout);
    redirections_undo(&undo);
    return status;
}

// The first thing a child does: join the job's process group, take the
// terminal if it is a foreground job, and get the default signal actions
// back (ignored signals would survive execve).
static void setup_child(pid_t pgid, RunMode mode)
{
    if (g_shell.job_control) {
        pid_t pid = getpid();
        if (!pgid)
            pgid = pid;
        setpgid(pid, pgid);
        if (mode == RunForeground)
            tcsetpgrp(g_shell.terminal_fd, pgid);
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        signal(SIGTSTP, SIG_DFL);
        signal(SIGTTIN, SIG_DFL);
        signal(SIGTTOU, SIG_DFL);
    } else if (mode == RunBackground) {
        // Without job control a background job must not see the keyboard
        // (POSIX XCU 2.9.3.1): no SIGINT/SIGQUIT, stdin from /dev/null.
        signal(SIGINT, SIG_IGN);
        signal(SIGQUIT, SIG_IGN);
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0 && null != STDIN_FILENO) {
            dup2(null, STDIN_FILENO);
            close(null);
        }
    }
    shell_enter_subshell();
}

_Noreturn static void run_in_child(const Command* command, const Prepared* prepared)
{
    if (!redirections_apply(command->redirects, command->redirect_count, NULL))
        exit(1);
    if (command->kind == CommandSubshell)
        exit(execute_list(command->body));
    if (prepared->argv.count == 0)
        exit(g_shell.substitution_status);
    BuiltinFunction builtin = builtin_find(prepared->argv.items[0]);
    if (builtin)
        exit(builtin((int)prepared->argv.count, prepared->argv.items));
    execute_external(prepared->argv.items, &prepared->assignments);
}

static void close_if_open(int fd)
{
    if (fd >= 0)
        close(fd);
}

// Forks the commands of a pipeline into a new job. Returns the job, or null
// if not even the first process could be started.
static Job* launch(const Pipeline* pipeline, const Prepared* prepared, RunMode mode)
{
    Job* job = job_create(pipeline->text);
    int input = -1;
    for (size_t i = 0; i < pipeline->count; ++i) {
        int pipe_fds[2] = { -1, -1 };
        if (i + 1 < pipeline->count && pipe2(pipe_fds, O_CLOEXEC) < 0) {
            shell_error("pipe: %s", strerror(errno));
            break;
        }
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0) {
            shell_error("fork: %s", strerror(errno));
            close_if_open(pipe_fds[0]);
            close_if_open(pipe_fds[1]);
            break;
        }
        if (pid == 0) {
            setup_child(job->pgid, mode);
            if (input >= 0)
                dup2(input, STDIN_FILENO);
            if (pipe_fds[1] >= 0)
                dup2(pipe_fds[1], STDOUT_FILENO);
            close_if_open(input);
            close_if_open(pipe_fds[0]);
            close_if_open(pipe_fds[1]);
            run_in_child(&pipeline->commands[i], &prepared[i]);
        }
        job_add_process(job, pid);
        if (g_shell.job_control)
            setpgid(pid, job->pgid);
        close_if_open(input);
        close_if_open(pipe_fds[1]);
        input = pipe_fds[0];
    }
    close_if_open(input);
    if (job->process_count == 0) {
        job_delete(job);
        return NULL;
    }
    return job;
}

static int execute_pipeline(const Pipeline* pipeline, RunMode mode)
{
    Prepared* prepared = xcalloc(pipeline->count, sizeof(Prepared));
    g_shell.substitution_status = 0;
    bool expanded = true;
    for (size_t i = 0; i < pipeline->count && expanded; ++i)
        expanded = prepare(&pipeline->commands[i], &prepared[i]);

    int status = 1;
    const Command* first = &pipeline->commands[0];
    if (!expanded) {
        status = 1;
    } else if (pipeline->count == 1 && mode == RunForeground && first->kind == CommandSimple
        && (prepared[0].argv.count == 0 || builtin_find(prepared[0].argv.items[0]))) {
        status = run_in_shell(first, &prepared[0]);
    } else {
        Job* job = launch(pipeline, prepared, mode);
        if (job && mode == RunBackground) {
            job_started_in_background(job);
            status = 0;
        } else if (job) {
            status = job_run_foreground(job, JobStart);
        }
    }
    for (size_t i = 0; i < pipeline->count; ++i)
        prepared_free(&prepared[i]);
    free(prepared);
    if (pipeline->negated && mode == RunForeground)
        status = !status;
    return status;
}

static bool interrupted(int status)
{
    return g_shell.interactive && status == 128 + SIGINT;
}

static int execute_and_or(const AndOr* and_or)
{
    int status = 0;
    for (size_t i = 0; i < and_or->count; ++i) {
        if (i > 0) {
            AndOrOperator connector = and_or->operators[i - 1];
            if ((connector == AndOrAnd && status != 0) || (connector == AndOrOr && status == 0))
                continue;
        }
        status = execute_pipeline(&and_or->pipelines[i], RunForeground);
        g_shell.last_status = status;
        if (g_shell.exit_requested || interrupted(status))
            break;
    }
    return status;
}

// `a && b &`: the whole list in one background subshell.
static void execute_background_list(const ListItem* item)
{
    Job* job = job_create(item->text);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        shell_error("fork: %s", strerror(errno));
        job_delete(job);
        g_shell.last_status = 1;
        return;
    }
    if (pid == 0) {
        setup_child(0, RunBackground);
        exit(execute_and_or(&item->and_or));
    }
    job_add_process(job, pid);
    if (g_shell.job_control)
        setpgid(pid, pid);
    job_started_in_background(job);
    g_shell.last_status = 0;
}

int execute_list(const List* list)
{
    for (size_t i = 0; i < list->count && !g_shell.exit_requested; ++i) {
        const ListItem* item = &list->items[i];
        if (!item->background) {
            if (interrupted(execute_and_or(&item->and_or)))
                break;
        } else if (item->and_or.count == 1 && !item->and_or.pipelines[0].negated) {
            execute_pipeline(&item->and_or.pipelines[0], RunBackground);
            g_shell.last_status = 0;
        } else {
            execute_background_list(item);
        }
    }
    return g_shell.last_status;
}
