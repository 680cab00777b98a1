#pragma once

// The job table and job control (POSIX XCU 2.11, "Job Control").
//
// A job is one pipeline (or one background list) with its processes. With
// job control (interactive shells) every job has its own process group; the
// foreground job's group owns the terminal while the shell waits for it, and
// the shell takes the terminal back, with its own terminal modes, when the
// job finishes or stops. A stopped job keeps its terminal modes for `fg`.
//
// Process states come from wait4 with WUNTRACED (and WCONTINUED when polling),
// so Ctrl-Z (SIGTSTP) shows up as a stopped job and `kill -CONT` from
// elsewhere as a running one again.

#include <stdbool.h>
#include <sys/types.h>
#include <termios.h>

typedef struct {
    pid_t pid;
    int status; // the last wait status
    bool completed;
    bool stopped;
} Process;

typedef struct Job {
    int id;
    pid_t pgid; // 0 without job control
    Process* processes;
    size_t process_count;
    char* text;
    bool notified; // the current state has been reported
    bool has_modes;
    struct termios modes;
    unsigned long sequence; // recency, for the current (+) and previous (-) job
    struct Job* next;
} Job;

Job* job_create(const char* text);
void job_add_process(Job* job, pid_t pid);
// Gives the job the terminal (when there is job control), continues it if
// asked, waits until it finishes or stops and takes the terminal back.
// Reports a stop ("[1]+  Stopped  text") or a fatal signal ("Segmentation
// fault"), deletes a finished job, and returns its status ($?).
typedef enum {
    JobStart,
    JobContinue,
} JobResume;
int job_run_foreground(Job* job, JobResume resume);
// A new background job: prints "[n] pid" in an interactive shell.
void job_started_in_background(Job* job);
// `bg`: continues a stopped job in the background.
void job_continue_in_background(Job* job);
// `wait`: waits until the job finishes (or stops), returns its status and
// deletes it if finished.
int job_wait(Job* job);

// Polls for state changes without blocking. NotifyReport then reports
// them ("Done", "Stopped", ...) and deletes finished jobs; NotifySilent only
// records them (finished jobs stay for `jobs` and `wait`).
typedef enum {
    NotifySilent,
    NotifyReport,
} NotifyMode;
void jobs_notify(NotifyMode mode);
// `jobs`: lists every job with its state, then forgets the finished ones.
void jobs_print(void);
void jobs_delete_completed(void);
// "%n", "%+", "%%", "%-", "%prefix" or a pid; null means the current job.
// Returns null (and reports under the builtin's name) when there is none.
Job* job_find(const char* spec, const char* builtin);
Job* jobs_first(void);
bool jobs_any_stopped(void);
// On exit of an interactive shell: stopped jobs get SIGHUP and SIGCONT.
void jobs_hang_up_stopped(void);
// In a forked subshell: drops the table (the jobs belong to the parent).
void jobs_forget_all(void);
// The $? value of a wait status.
int status_from_wait(int status);

// Shared by jobs.c (the table) and job_control.c (waiting, the terminal).
bool job_is_completed(const Job* job);
bool job_is_stopped(const Job* job);
int job_status(const Job* job);
void job_delete(Job* job);
// Makes the job the current one (+).
void job_touch(Job* job);
// Records a wait status for the process `pid`; false if no job has it.
bool jobs_record_status(pid_t pid, int status);
// "[1]+  Stopped                 sleep 5"
void job_print_state(const Job* job, int fd);
