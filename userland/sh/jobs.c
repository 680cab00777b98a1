// The job table: creation, lookup, states and their reports.
//
// Jobs form a singly linked list in creation order. The current job (+) is
// the most recently stopped one if any job is stopped, otherwise the most
// recently started or continued one; the previous job (-) is the next in the
// same order. Report formats follow bash:
//   [1] 1234                              (a job started in the background)
//   [1]+  Stopped                 sleep 5 (jobs, and a stop or end reported)

#include "jobs.h"
#include "shell.h"
#include "util.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static Job* s_jobs;
static unsigned long s_sequence;

int status_from_wait(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    if (WIFSTOPPED(status))
        return 128 + WSTOPSIG(status);
    return 0;
}

Job* job_create(const char* text)
{
    int id = 1;
    Job** tail = &s_jobs;
    for (Job* job = s_jobs; job; job = job->next) {
        if (job->id >= id)
            id = job->id + 1;
        tail = &job->next;
    }
    Job* job = xcalloc(1, sizeof(Job));
    job->id = id;
    job->text = xstrdup(text);
    job->sequence = ++s_sequence;
    *tail = job;
    return job;
}

void job_add_process(Job* job, pid_t pid)
{
    job->processes = xrealloc(job->processes, (job->process_count + 1) * sizeof(Process));
    job->processes[job->process_count++] = (Process) { .pid = pid };
    if (!job->pgid && g_shell.job_control)
        job->pgid = pid;
}

void job_delete(Job* job)
{
    for (Job** link = &s_jobs; *link; link = &(*link)->next) {
        if (*link == job) {
            *link = job->next;
            break;
        }
    }
    free(job->processes);
    free(job->text);
    free(job);
}

void jobs_forget_all(void)
{
    while (s_jobs)
        job_delete(s_jobs);
}

void job_touch(Job* job)
{
    job->sequence = ++s_sequence;
}

bool job_is_completed(const Job* job)
{
    for (size_t i = 0; i < job->process_count; ++i) {
        if (!job->processes[i].completed)
            return false;
    }
    return true;
}

bool job_is_stopped(const Job* job)
{
    bool any_stopped = false;
    for (size_t i = 0; i < job->process_count; ++i) {
        if (!job->processes[i].completed && !job->processes[i].stopped)
            return false;
        any_stopped |= job->processes[i].stopped;
    }
    return any_stopped;
}

// A job's status is its last process's, as for a pipeline.
int job_status(const Job* job)
{
    if (job->process_count == 0)
        return 0;
    const Process* last = &job->processes[job->process_count - 1];
    if (job_is_stopped(job)) {
        for (size_t i = 0; i < job->process_count; ++i) {
            if (job->processes[i].stopped)
                return status_from_wait(job->processes[i].status);
        }
    }
    return status_from_wait(last->status);
}

bool jobs_record_status(pid_t pid, int status)
{
    for (Job* job = s_jobs; job; job = job->next) {
        for (size_t i = 0; i < job->process_count; ++i) {
            Process* process = &job->processes[i];
            if (process->pid != pid)
                continue;
            if (WIFSTOPPED(status)) {
                process->stopped = true;
                process->status = status;
            } else if (WIFCONTINUED(status)) {
                process->stopped = false;
            } else {
                process->completed = true;
                process->stopped = false;
                process->status = status;
            }
            job->notified = false;
            return true;
        }
    }
    return false;
}

static bool ranks_before(const Job* left, const Job* right)
{
    bool left_stopped = job_is_stopped(left);
    bool right_stopped = job_is_stopped(right);
    if (left_stopped != right_stopped)
        return left_stopped;
    return left->sequence > right->sequence;
}

static void current_and_previous(Job** current, Job** previous)
{
    *current = NULL;
    *previous = NULL;
    for (Job* job = s_jobs; job; job = job->next) {
        if (!*current || ranks_before(job, *current)) {
            *previous = *current;
            *current = job;
        } else if (!*previous || ranks_before(job, *previous)) {
            *previous = job;
        }
    }
}

static void state_text(const Job* job, char* buffer, size_t size)
{
    if (job_is_stopped(job)) {
        int signal = SIGTSTP;
        for (size_t i = 0; i < job->process_count; ++i) {
            if (job->processes[i].stopped)
                signal = WSTOPSIG(job->processes[i].status);
        }
        const char* detail = signal == SIGTTIN ? " (tty input)"
            : signal == SIGTTOU                ? " (tty output)"
            : signal == SIGSTOP                ? " (signal)"
                                               : "";
        snprintf(buffer, size, "Stopped%s", detail);
        return;
    }
    if (!job_is_completed(job)) {
        snprintf(buffer, size, "Running");
        return;
    }
    int status = job->processes[job->process_count - 1].status;
    if (WIFSIGNALED(status))
        snprintf(buffer, size, "%s%s", strsignal(WTERMSIG(status)), WCOREDUMP(status) ? " (core dumped)" : "");
    else if (WEXITSTATUS(status))
        snprintf(buffer, size, "Exit %d", WEXITSTATUS(status));
    else
        snprintf(buffer, size, "Done");
}

void job_print_state(const Job* job, int fd)
{
    Job* current;
    Job* previous;
    current_and_previous(&current, &previous);
    char marker = ' ';
    if (job == current)
        marker = '+';
    else if (job == previous)
        marker = '-';
    char state[64];
    state_text(job, state, sizeof(state));
    dprintf(fd, "[%d]%c  %-24s%s\n", job->id, marker, state, job->text);
}

void jobs_print(void)
{
    jobs_notify(NotifySilent);
    for (Job* job = s_jobs; job; job = job->next) {
        job_print_state(job, STDOUT_FILENO);
        job->notified = true;
    }
    fflush(stdout);
    jobs_delete_completed();
}

void jobs_delete_completed(void)
{
    for (Job *job = s_jobs, *next; job; job = next) {
        next = job->next;
        if (job_is_completed(job))
            job_delete(job);
    }
}

void jobs_notify(NotifyMode mode)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG | WUNTRACED | WCONTINUED)) > 0)
        jobs_record_status(pid, status);
    if (mode == NotifySilent)
        return;
    for (Job *job = s_jobs, *next; job; job = next) {
        next = job->next;
        bool completed = job_is_completed(job);
        if (!job->notified && (completed || job_is_stopped(job)))
            job_print_state(job, STDERR_FILENO);
        job->notified = true;
        if (completed)
            job_delete(job);
    }
}

static bool is_number(const char* text)
{
    if (!*text)
        return false;
    for (; *text; ++text) {
        if (*text < '0' || *text > '9')
            return false;
    }
    return true;
}

Job* job_find(const char* spec, const char* builtin)
{
    Job* current;
    Job* previous;
    current_and_previous(&current, &previous);
    Job* found = NULL;
    if (!spec || strcmp(spec, "%%") == 0 || strcmp(spec, "%+") == 0 || strcmp(spec, "%") == 0) {
        found = current;
    } else if (strcmp(spec, "%-") == 0) {
        found = previous;
    } else if (spec[0] == '%' && is_number(spec + 1)) {
        int id = atoi(spec + 1);
        for (Job* job = s_jobs; job && !found; job = job->next)
            found = job->id == id ? job : NULL;
    } else if (spec[0] == '%') {
        // "%sl" names the job whose command starts with "sl".
        const char* prefix = spec + 1;
        for (Job* job = s_jobs; job && !found; job = job->next)
            found = strstr(job->text, prefix) == job->text ? job : NULL;
    } else if (is_number(spec)) {
        pid_t pid = atoi(spec);
        for (Job* job = s_jobs; job && !found; job = job->next) {
            for (size_t i = 0; i < job->process_count; ++i) {
                if (job->processes[i].pid == pid)
                    found = job;
            }
        }
    }
    if (!found)
        shell_error("%s: %s: no such job", builtin, spec ? spec : "current");
    return found;
}

Job* jobs_first(void)
{
    return s_jobs;
}

bool jobs_any_stopped(void)
{
    for (Job* job = s_jobs; job; job = job->next) {
        if (job_is_stopped(job))
            return true;
    }
    return false;
}

void jobs_hang_up_stopped(void)
{
    for (Job* job = s_jobs; job; job = job->next) {
        if (job_is_stopped(job) && job->pgid) {
            killpg(job->pgid, SIGHUP);
            killpg(job->pgid, SIGCONT);
        }
    }
}
