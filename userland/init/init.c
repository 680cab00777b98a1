// /sbin/init: process 1 of Osprey.
//
// 1. Mounts proc on /proc and devtmpfs on /dev (creating the directories if
//    needed). A failed mount is logged and boot goes on: the shell is still
//    useful without them.
// 2. Makes sure fds 0, 1 and 2 are open, on /dev/console if they are not.
// 3. Starts /bin/sh in a new session (setsid) with the console as its
//    controlling terminal (TIOCSCTTY) and foreground process group, so the
//    shell can do job control.
// 4. Reaps every child, including orphans re-parented to it, and restarts
//    the shell when it exits, after a message and a one-second pause.
//
// init refuses to run as any other process, so starting it by mistake on a
// host cannot mount anything.

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CONSOLE_PATH          "/dev/console"
#define SHELL_PATH            "/bin/sh"
#define RESTART_DELAY_SECONDS 1

static char* s_environment[] = {
    "PATH=/bin:/sbin",
    "HOME=/",
    "TERM=vt100",
    "SHELL=/bin/sh",
    NULL,
};

static void log_message(const char* format, ...) __attribute__((format(printf, 1, 2)));

static void log_message(const char* format, ...)
{
    // One write for the whole line, so the kernel's log cannot land in
    // the middle of it on the console.
    static const char PREFIX[] = "init: ";
    char line[256];
    memcpy(line, PREFIX, sizeof(PREFIX) - 1);
    size_t room = sizeof(line) - (sizeof(PREFIX) - 1);
    va_list arguments;
    va_start(arguments, format);
    int length = vsnprintf(line + sizeof(PREFIX) - 1, room - 1, format, arguments);
    va_end(arguments);
    if (length < 0)
        return;
    if ((size_t)length > room - 2)
        length = (int)(room - 2);
    size_t total = sizeof(PREFIX) - 1 + (size_t)length;
    line[total++] = '\n';
    // fd 2 may not be open yet; then there is nowhere to log to.
    write(STDERR_FILENO, line, total);
}

static void mount_file_system(const char* source, const char* target, const char* type)
{
    if (mkdir(target, 0755) < 0 && errno != EEXIST)
        log_message("cannot create %s: %s", target, strerror(errno));
    if (mount(source, target, type, 0, NULL) < 0)
        log_message("cannot mount %s on %s: %s (continuing)", type, target, strerror(errno));
}

static bool fd_is_open(int fd)
{
    return fcntl(fd, F_GETFD) >= 0;
}

// Opens the console on whichever of fds 0, 1, 2 are closed.
static void open_console_fds(void)
{
    if (fd_is_open(0) && fd_is_open(1) && fd_is_open(2))
        return;
    int console = open(CONSOLE_PATH, O_RDWR | O_NOCTTY);
    if (console < 0) {
        log_message("cannot open %s: %s", CONSOLE_PATH, strerror(errno));
        return;
    }
    for (int fd = 0; fd <= 2; ++fd) {
        if (!fd_is_open(fd))
            dup2(console, fd);
    }
    if (console > 2)
        close(console);
}

// In the child: a new session whose controlling terminal is the console.
_Noreturn static void run_shell(void)
{
    if (setsid() < 0)
        log_message("setsid: %s", strerror(errno));
    if (ioctl(STDIN_FILENO, TIOCSCTTY, 0) < 0)
        log_message("cannot make the console the controlling terminal: %s (no job control)", strerror(errno));
    else
        tcsetpgrp(STDIN_FILENO, getpid());
    char* argv[] = { "sh", NULL };
    execve(SHELL_PATH, argv, s_environment);
    log_message("cannot run %s: %s", SHELL_PATH, strerror(errno));
    _exit(127);
}

static pid_t start_shell(void)
{
    pid_t pid = fork();
    if (pid < 0) {
        log_message("fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0)
        run_shell();
    return pid;
}

static void describe_status(int status, char* text, size_t size)
{
    if (WIFEXITED(status))
        snprintf(text, size, "exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(text, size, "was killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        snprintf(text, size, "ended (status 0x%x)", status);
}

int main(void)
{
    if (getpid() != 1) {
        fprintf(stderr, "init: must be run as process 1\n");
        return 1;
    }
    open_console_fds();
    mount_file_system("proc", "/proc", "proc");
    mount_file_system("devtmpfs", "/dev", "devtmpfs");
    open_console_fds();
    // Children must be waitable whatever the kernel gave us.
    signal(SIGCHLD, SIG_DFL);

    for (;;) {
        log_message("starting %s", SHELL_PATH);
        pid_t shell = start_shell();
        while (shell > 0) {
            int status;
            pid_t pid = wait(&status);
            if (pid < 0) {
                if (errno == EINTR)
                    continue;
                log_message("wait: %s", strerror(errno));
                break;
            }
            if (pid != shell)
                continue; // an orphan, now reaped
            char description[96];
            describe_status(status, description, sizeof(description));
            log_message("%s %s; restarting it in %d s", SHELL_PATH, description, RESTART_DELAY_SECONDS);
            break;
        }
        sleep(RESTART_DELAY_SECONDS);
    }
}
