// $(...) and `...` (POSIX XCU 2.6.3): the subshell inherits the shell's
// state by fork, writes into a pipe, and the shell reads until end of file
// before it waits, so a large output cannot block the child.

#include "substitution.h"
#include "jobs.h"
#include "shell.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char* command_substitution(const char* source)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) {
        shell_error("pipe: %s", strerror(errno));
        g_shell.substitution_status = 1;
        return xstrdup("");
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        shell_error("fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        g_shell.substitution_status = 1;
        return xstrdup("");
    }
    if (pid == 0) {
        // Ctrl-C reaches the child (it is in the shell's process group);
        // Ctrl-Z stays ignored, since the shell waits without WUNTRACED.
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        shell_enter_subshell();
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        int status = shell_run_string(source);
        exit(status);
    }
    close(fds[1]);
    StringBuffer output = { 0 };
    char chunk[4096];
    for (;;) {
        ssize_t count = read(fds[0], chunk, sizeof(chunk));
        if (count < 0 && errno == EINTR)
            continue;
        if (count <= 0)
            break;
        sb_append_n(&output, chunk, (size_t)count);
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
    g_shell.substitution_status = status_from_wait(status);
    while (output.length > 0 && output.data[output.length - 1] == '\n')
        output.data[--output.length] = '\0';
    return sb_take(&output);
}
