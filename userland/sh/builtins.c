// The shell's builtins (see builtins.h). Messages and statuses follow bash.

#include "builtins.h"
#include "history.h"
#include "jobs.h"
#include "shell.h"
#include "variables.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int builtin_cd(int argc, char** argv)
{
    if (argc > 2) {
        shell_error("cd: too many arguments");
        return 1;
    }
    const char* target = argc > 1 ? argv[1] : variable_get("HOME");
    bool print = false;
    if (!target) {
        shell_error("cd: HOME not set");
        return 1;
    }
    if (strcmp(target, "-") == 0) {
        target = variable_get("OLDPWD");
        if (!target) {
            shell_error("cd: OLDPWD not set");
            return 1;
        }
        print = true;
    }
    char old[PATH_MAX];
    if (!getcwd(old, sizeof(old)))
        old[0] = '\0';
    if (chdir(target) < 0) {
        shell_error("cd: %s: %s", target, strerror(errno));
        return 1;
    }
    char now[PATH_MAX];
    if (getcwd(now, sizeof(now))) {
        variable_set("PWD", now);
        if (print)
            printf("%s\n", now);
    }
    if (old[0])
        variable_set("OLDPWD", old);
    return 0;
}

static int builtin_pwd(int argc, char** argv)
{
    (void)argc;
    (void)argv;
    char path[PATH_MAX];
    if (!getcwd(path, sizeof(path))) {
        shell_error("pwd: %s", strerror(errno));
        return 1;
    }
    printf("%s\n", path);
    return 0;
}

static bool parse_status(const char* text, int* status)
{
    char* end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (!*text || *end || errno)
        return false;
    *status = (int)(value & 0xff);
    return true;
}

static int builtin_exit(int argc, char** argv)
{
    static bool s_warned_about_stopped_jobs;
    int status = g_shell.last_status;
    if (argc > 1 && !parse_status(argv[1], &status)) {
        shell_error("exit: %s: numeric argument required", argv[1]);
        status = 2;
    } else if (argc > 2) {
        shell_error("exit: too many arguments");
        return 1;
    }
    if (g_shell.interactive && jobs_any_stopped() && !s_warned_about_stopped_jobs) {
        s_warned_about_stopped_jobs = true;
        fprintf(stderr, "There are stopped jobs.\n");
        return 1;
    }
    if (g_shell.interactive)
        fprintf(stderr, "exit\n");
    g_shell.exit_requested = true;
    g_shell.last_status = status;
    return status;
}

static int builtin_export(int argc, char** argv)
{
    if (argc == 1 || (argc == 2 && strcmp(argv[1], "-p") == 0)) {
        variables_print_exported();
        return 0;
    }
    int status = 0;
    for (int i = 1; i < argc; ++i) {
        const char* equals = strchr(argv[i], '=');
        size_t length = equals ? (size_t)(equals - argv[i]) : strlen(argv[i]);
        if (!is_valid_name(argv[i], length)) {
            shell_error("export: `%s': not a valid identifier", argv[i]);
            status = 1;
            continue;
        }
        char* name = xstrndup(argv[i], length);
        if (equals)
            variable_set(name, equals + 1);
        variable_export(name);
        free(name);
    }
    return status;
}

static int builtin_unset(int argc, char** argv)
{
    int status = 0;
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "-v") == 0)
            continue;
        if (!is_valid_name(argv[i], strlen(argv[i]))) {
            shell_error("unset: `%s': not a valid identifier", argv[i]);
            status = 1;
            continue;
        }
        variable_unset(argv[i]);
    }
    return status;
}

static int builtin_jobs(int argc, char** argv)
{
    (void)argc;
    (void)argv;
    jobs_print();
    return 0;
}

static bool require_job_control(const char* builtin)
{
    if (g_shell.job_control)
        return true;
    shell_error("%s: no job control", builtin);
    return false;
}

static int builtin_fg(int argc, char** argv)
{
    if (!require_job_control("fg"))
        return 1;
    Job* job = job_find(argc > 1 ? argv[1] : NULL, "fg");
    if (!job)
        return 1;
    printf("%s\n", job->text);
    fflush(stdout);
    job_touch(job);
    return job_run_foreground(job, JobContinue);
}

static int builtin_bg(int argc, char** argv)
{
    if (!require_job_control("bg"))
        return 1;
    Job* job = job_find(argc > 1 ? argv[1] : NULL, "bg");
    if (!job)
        return 1;
    if (!job_is_stopped(job)) {
        shell_error("bg: job %d already in background", job->id);
        return 0;
    }
    job_continue_in_background(job);
    return 0;
}

static int builtin_wait(int argc, char** argv)
{
    if (argc == 1) {
        // Every running job; stopped ones would never finish.
        for (Job* job = jobs_first(); job;) {
            if (job_is_completed(job) || job_is_stopped(job)) {
                job = job->next;
                continue;
            }
            job_wait(job);
            job = jobs_first();
        }
        jobs_notify(NotifySilent);
        jobs_delete_completed();
        return 0;
    }
    int status = 0;
    for (int i = 1; i < argc; ++i) {
        Job* job = job_find(argv[i], "wait");
        status = job ? job_wait(job) : 127;
    }
    return status;
}

static int builtin_history(int argc, char** argv)
{
    (void)argc;
    (void)argv;
    for (size_t i = 0; i < history_count(); ++i)
        printf("%5zu  %s\n", i + 1, history_entry(i));
    return 0;
}

typedef struct {
    const char* name;
    BuiltinFunction function;
} Builtin;

static const Builtin s_builtins[] = {
    { "bg", builtin_bg },
    { "cd", builtin_cd },
    { "exit", builtin_exit },
    { "export", builtin_export },
    { "fg", builtin_fg },
    { "history", builtin_history },
    { "jobs", builtin_jobs },
    { "pwd", builtin_pwd },
    { "unset", builtin_unset },
    { "wait", builtin_wait },
};

const char* const g_builtin_names[]
    = { "bg", "cd", "exit", "export", "fg", "history", "jobs", "pwd", "unset", "wait", NULL };

BuiltinFunction builtin_find(const char* name)
{
    for (size_t i = 0; i < sizeof(s_builtins) / sizeof(s_builtins[0]); ++i) {
        if (strcmp(s_builtins[i].name, name) == 0)
            return s_builtins[i].function;
    }
    return NULL;
}
