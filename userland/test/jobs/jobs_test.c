// Job control on a controlling terminal: SIGTTIN and SIGTTOU for a
// background process group, TOSTOP, terminal changes from the background,
// SIGHUP and SIGCONT for a newly orphaned group with a stopped member, and
// SIGHUP for the foreground group when the session leader exits.
//
// Each test runs in a new session whose controlling terminal is a
// pseudo-terminal on the host Linux (/dev/ptmx) or, where there is none,
// the console (Osprey: /dev/console and TIOCSCTTY). Only the session leader
// prints (to stdout, which is not the terminal on the host); background
// processes report through exit statuses and pipes, so nothing they do
// reaches the terminal. The transcript ("ok <check>" / "FAIL <check>", then
// "jobs: <n> failed") is the same on both systems (expected.txt).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PTY_GET_NUMBER 0x80045430u // TIOCGPTN
#define PTY_SET_LOCK   0x40045431u // TIOCSPTLCK

static int s_failures;

static void check(const char* what, int ok)
{
    char line[160];
    int length = snprintf(line, sizeof(line), "%s %s\n", ok ? "ok" : "FAIL", what);
    write(STDOUT_FILENO, line, (size_t)length);
    if (!ok)
        s_failures++;
}

static void sleep_ms(long milliseconds)
{
    struct timespec delay = { milliseconds / 1000, (milliseconds % 1000) * 1000000L };
    while (nanosleep(&delay, &delay) == -1 && errno == EINTR)
        ;
}

static void set_disposition(int signal, void (*handler)(int))
{
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    sigaction(signal, &action, NULL);
}

// Makes a terminal the caller's (a new session leader's) controlling
// terminal and returns its fd; the pty master, if any, in `master`.
static int open_controlling_terminal(int* master)
{
    *master = open("/dev/ptmx", O_RDWR | O_NOCTTY);
    int terminal;
    if (*master >= 0) {
        int unlock = 0;
        unsigned number = 0;
        ioctl(*master, PTY_SET_LOCK, &unlock);
        ioctl(*master, PTY_GET_NUMBER, &number);
        char path[32];
        snprintf(path, sizeof(path), "/dev/pts/%u", number);
        terminal = open(path, O_RDWR);
    } else {
        terminal = open("/dev/console", O_RDWR);
    }
    if (terminal < 0 || ioctl(terminal, TIOCSCTTY, 0) != 0 || tcsetpgrp(terminal, getpgrp()) != 0)
        return -1;
    return terminal;
}

static int s_terminal;

// Runs `body` in a child in a new background process group; returns its
// wait status (stopped or ended). A stopped child is killed afterwards.
static int in_background(int (*body)(void), int* status_out)
{
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        _exit(body());
    }
    setpgid(pid, pid);
    int status = 0;
    while (waitpid(pid, &status, WUNTRACED) == -1 && errno == EINTR)
        ;
    if (WIFSTOPPED(status)) {
        kill(pid, SIGKILL);
        int ignored;
        waitpid(pid, &ignored, 0);
    }
    *status_out = status;
    return status;
}

static int stopped_by(int status, int signal)
{
    return WIFSTOPPED(status) && WSTOPSIG(status) == signal;
}

static int exited_zero(int status)
{
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int read_terminal(void)
{
    set_disposition(SIGTTIN, SIG_DFL);
    char byte;
    read(s_terminal, &byte, 1);
    return 1; // only reached if not stopped
}

static int read_terminal_ignoring(void)
{
    set_disposition(SIGTTIN, SIG_IGN);
    char byte;
    errno = 0;
    return read(s_terminal, &byte, 1) == -1 && errno == EIO ? 0 : 1;
}

// One NUL byte: invisible on Osprey's console, where the system test reads
// the transcript.
static int write_terminal(void)
{
    set_disposition(SIGTTOU, SIG_DFL);
    return write(s_terminal, "", 1) == 1 ? 0 : 1;
}

static int write_terminal_ignoring(void)
{
    set_disposition(SIGTTOU, SIG_IGN);
    return write(s_terminal, "", 1) == 1 ? 0 : 1;
}

static int change_attributes(void)
{
    set_disposition(SIGTTOU, SIG_DFL);
    struct termios attributes;
    tcgetattr(s_terminal, &attributes);
    tcsetattr(s_terminal, TCSANOW, &attributes);
    return 1;
}

static int take_foreground(void)
{
    set_disposition(SIGTTOU, SIG_DFL);
    tcsetpgrp(s_terminal, getpgrp());
    return 1;
}

static int take_foreground_ignoring(void)
{
    set_disposition(SIGTTOU, SIG_IGN);
    return tcsetpgrp(s_terminal, getpgrp()) == 0 && tcgetpgrp(s_terminal) == getpgrp() ? 0 : 1;
}

static void set_tostop(int on)
{
    struct termios attributes;
    tcgetattr(s_terminal, &attributes);
    if (on)
        attributes.c_lflag |= TOSTOP;
    else
        attributes.c_lflag &= ~(tcflag_t)TOSTOP;
    tcsetattr(s_terminal, TCSANOW, &attributes);
}

static void background_checks(void)
{
    int status;
    in_background(read_terminal, &status);
    check("background read: stopped by SIGTTIN", stopped_by(status, SIGTTIN));
    in_background(read_terminal_ignoring, &status);
    check("background read, SIGTTIN ignored: EIO", exited_zero(status));

    set_tostop(0);
    in_background(write_terminal, &status);
    check("background write without TOSTOP: allowed", exited_zero(status));
    set_tostop(1);
    in_background(write_terminal, &status);
    check("background write with TOSTOP: stopped by SIGTTOU", stopped_by(status, SIGTTOU));
    in_background(write_terminal_ignoring, &status);
    check("background write with TOSTOP, SIGTTOU ignored: allowed", exited_zero(status));
    set_tostop(0);

    in_background(change_attributes, &status);
    check("tcsetattr from the background: stopped by SIGTTOU", stopped_by(status, SIGTTOU));
    in_background(take_foreground, &status);
    check("tcsetpgrp from the background: stopped by SIGTTOU", stopped_by(status, SIGTTOU));
    in_background(take_foreground_ignoring, &status);
    check("tcsetpgrp from the background, SIGTTOU ignored: allowed", exited_zero(status));
    // The leader ignores SIGTTOU, as a shell does, to take the terminal back.
    check("the leader takes the terminal back", tcsetpgrp(s_terminal, getpgrp()) == 0);
}

static int s_report_fd;
static volatile sig_atomic_t s_hung_up;

static void report_hangup(int signal)
{
    (void)signal;
    s_hung_up = 1;
    write(s_report_fd, "H", 1);
}

// The orphaned group: the leader forks P (in its group), P forks C in a
// group of its own; C stops; P exits, which orphans C's group with C
// stopped: C must get SIGHUP, then SIGCONT. C then reads the terminal from
// its orphaned background group: EIO.
static void orphan_checks(void)
{
    int report[2];
    pipe(report);
    pid_t middle = fork();
    if (middle == 0) {
        pid_t child = fork();
        if (child == 0) {
            close(report[0]);
            s_report_fd = report[1];
            setpgid(0, 0);
            set_disposition(SIGHUP, report_hangup);
            set_disposition(SIGTTIN, SIG_DFL);
            raise(SIGSTOP);
            write(report[1], "C", 1);
            char byte;
            errno = 0;
            if (read(s_terminal, &byte, 1) == -1 && errno == EIO)
                write(report[1], "E", 1);
            _exit(0);
        }
        setpgid(child, child);
        int status;
        waitpid(child, &status, WUNTRACED);
        _exit(WIFSTOPPED(status) ? 0 : 1);
    }
    close(report[1]);
    int status;
    waitpid(middle, &status, 0);
    check("the middle process saw its child stop", exited_zero(status));
    char got[8] = { 0 };
    size_t length = 0;
    long count;
    while (length < sizeof(got) - 1 && (count = read(report[0], got + length, sizeof(got) - 1 - length)) > 0)
        length += (size_t)count;
    close(report[0]);
    check("orphaned stopped group: SIGHUP, then continued by SIGCONT", length >= 2 && got[0] == 'H' && got[1] == 'C');
    check("read from an orphaned background group: EIO", length == 3 && got[2] == 'E');
}

// Runs in a new session: the checks above, printing from the leader.
static int session_leader(void)
{
    setsid();
    int master;
    s_terminal = open_controlling_terminal(&master);
    check("a controlling terminal", s_terminal >= 0);
    if (s_terminal < 0)
        return 1;
    set_disposition(SIGTTOU, SIG_IGN);
    background_checks();
    orphan_checks();
    return 0;
}

// The foreground group gets SIGHUP when the session leader exits.
static void hangup_check(void)
{
    int report[2];
    pipe(report);
    pid_t leader = fork();
    if (leader == 0) {
        close(report[0]);
        setsid();
        int master;
        s_terminal = open_controlling_terminal(&master);
        if (s_terminal < 0)
            _exit(1);
        int ready[2];
        pipe(ready);
        pid_t member = fork();
        if (member == 0) {
            s_report_fd = report[1];
            set_disposition(SIGHUP, report_hangup);
            write(ready[1], "r", 1);
            for (int i = 0; i < 100 && !s_hung_up; i++)
                sleep_ms(50);
            _exit(0);
        }
        close(report[1]);
        char byte;
        read(ready[0], &byte, 1);
        _exit(0); // the leader exits, the member's group is in the foreground
    }
    close(report[1]);
    int status;
    waitpid(leader, &status, 0);
    check("the session leader exited", exited_zero(status));
    char byte = 0;
    check("the foreground group got SIGHUP at its exit", read(report[0], &byte, 1) == 1 && byte == 'H');
    // The member exits on SIGHUP: wait for that (the end of the pipe), so
    // nothing holds the terminal once this program is done.
    while (read(report[0], &byte, 1) > 0)
        ;
    close(report[0]);
}

int main(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(session_leader());
    int status;
    waitpid(pid, &status, 0);
    check("the session's checks ran", exited_zero(status));
    hangup_check();
    char line[40];
    int length = snprintf(line, sizeof(line), "jobs: %d failed\n", s_failures);
    write(STDOUT_FILENO, line, (size_t)length);
    return s_failures ? 1 : 0;
}
