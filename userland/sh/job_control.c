// Running jobs: waiting for them, handing the terminal to the foreground
// job's process group and taking it back (POSIX XBD 11.1.2; tcsetpgrp(3)),
// continuing stopped jobs with SIGCONT.
//
// The shell ignores SIGTTOU while interactive, so it may call tcsetpgrp and
// tcsetattr even while another group owns the terminal.

#include "jobs.h"
#include "shell.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

// Waits until every process of the job has finished or stopped. Other jobs'
// processes reaped on the way are recorded too.
static void wait_for_job(Job* job)
{
    while (!job_is_completed(job) && !job_is_stopped(job)) {
        int status;
        pid_t pid = waitpid(-1, &status, WUNTRACED);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            // ECHILD: the processes are gone (reaped elsewhere); count them done.
            for (size_t i = 0; i < job->process_count; ++i)
                job->processes[i].completed = true;
            break;
        }
        jobs_record_status(pid, status);
    }
}

static void mark_running(Job* job)
{
    for (size_t i = 0; i < job->process_count; ++i)
        job->processes[i].stopped = false;
    job->notified = true;
}

static void send_continue(const Job* job)
{
    if (job->pgid) {
        killpg(job->pgid, SIGCONT);
        return;
    }
    for (size_t i = 0; i < job->process_count; ++i)
        kill(job->processes[i].pid, SIGCONT);
}

// Like bash: a process killed by a signal is reported with the signal's
// description, except SIGINT (just a newline, the user pressed Ctrl-C) and
// SIGPIPE (a normal end in a pipeline).
static void report_fatal_signal(const Job* job)
{
    bool interrupted = false;
    for (size_t i = 0; i < job->process_count; ++i) {
        int status = job->processes[i].status;
        if (!WIFSIGNALED(status))
            continue;
        int signal = WTERMSIG(status);
        if (signal == SIGINT) {
            interrupted = true;
        } else if (signal != SIGPIPE) {
            dprintf(STDERR_FILENO, "%s%s\n", strsignal(signal), WCOREDUMP(status) ? " (core dumped)" : "");
            return;
        }
    }
    if (interrupted && g_shell.interactive)
        write(STDERR_FILENO, "\n", 1);
}

int job_run_foreground(Job* job, JobResume resume)
{
    bool control = g_shell.job_control && job->pgid;
    int terminal = g_shell.terminal_fd;
    if (control)
        tcsetpgrp(terminal, job->pgid);
    if (resume == JobContinue) {
        if (control && job->has_modes)
            tcsetattr(terminal, TCSADRAIN, &job->modes);
        mark_running(job);
        send_continue(job);
    }
    wait_for_job(job);
    if (control) {
        tcsetpgrp(terminal, g_shell.shell_pgid);
        if (job_is_stopped(job)) {
            job->has_modes = tcgetattr(terminal, &job->modes) == 0;
        }
        tcsetattr(terminal, TCSADRAIN, &g_shell.terminal_modes);
    }
    int status = job_status(job);
    if (job_is_stopped(job)) {
        job_touch(job);
        write(STDERR_FILENO, "\n", 1);
        job_print_state(job, STDERR_FILENO);
        job->notified = true;
    } else {
        report_fatal_signal(job);
        job_delete(job);
    }
    return status;
}

void job_started_in_background(Job* job)
{
    job_touch(job);
    job->notified = true;
    pid_t last = job->processes[job->process_count - 1].pid;
    g_shell.last_background_pid = last;
    if (g_shell.interactive)
        dprintf(STDERR_FILENO, "[%d] %d\n", job->id, last);
}

void job_continue_in_background(Job* job)
{
    mark_running(job);
    job_touch(job);
    printf("[%d]+ %s &\n", job->id, job->text);
    fflush(stdout);
    send_continue(job);
}

int job_wait(Job* job)
{
    wait_for_job(job);
    int status = job_status(job);
    if (job_is_completed(job))
        job_delete(job);
    return status;
}
