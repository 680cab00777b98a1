// Running external programs: PATH search, execve, and the fallbacks for
// files that are not executables (POSIX XCU 2.9.1.1, "Command Search and
// Execution"): a "#!" line names the interpreter, any other text file runs
// as a shell script in this (already forked) shell.

#include "exec.h"
#include "shell.h"
#include "variables.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_PATH "/bin:/sbin:/usr/bin:/usr/sbin"

// Runs a script whose execve failed with ENOEXEC. Returns only on failure,
// with the status to exit with.
static int run_script(const char* path, char** argv, char** environment, const StringList* assignments)
{
    char head[256];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t length = fd >= 0 ? read(fd, head, sizeof(head) - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (length < 0) {
        shell_error("%s: %s", path, strerror(errno));
        return 126;
    }
    head[length] = '\0';
    if (memchr(head, '\0', (size_t)length)) {
        shell_error("%s: cannot execute binary file: %s", path, strerror(ENOEXEC));
        return 126;
    }
    size_t argc = 0;
    while (argv[argc])
        ++argc;
    if (length >= 2 && head[0] == '#' && head[1] == '!') {
        // "#!interpreter [one argument]"
        char* line = head + 2;
        line[strcspn(line, "\n")] = '\0';
        line += strspn(line, " \t");
        char* interpreter = line;
        line += strcspn(line, " \t");
        char* argument = NULL;
        if (*line) {
            *line++ = '\0';
            line += strspn(line, " \t");
            if (*line)
                argument = line;
        }
        char** new_argv = xcalloc(argc + 3, sizeof(char*));
        size_t count = 0;
        new_argv[count++] = interpreter;
        if (argument)
            new_argv[count++] = argument;
        new_argv[count++] = (char*)path;
        for (size_t i = 1; i < argc; ++i)
            new_argv[count++] = argv[i];
        execve(interpreter, new_argv, environment);
        shell_error("%s: %s: bad interpreter: %s", path, interpreter, strerror(errno));
        return 126;
    }
    // A plain script: this child is a copy of the shell, so run it here,
    // with the command's own assignments exported.
    for (size_t i = 0; i < assignments->count; ++i) {
        char* name = xstrdup(assignments->items[i]);
        char* equals = strchr(name, '=');
        *equals = '\0';
        variable_set(name, equals + 1);
        variable_export(name);
        free(name);
    }
    return shell_run_script(path, argv + 1, argc - 1);
}

// execve, then the script fallback. Returns the errno of a failed execve.
static int try_execute(const char* path, char** argv, char** environment, const StringList* assignments)
{
    execve(path, argv, environment);
    int error = errno;
    if (error == ENOEXEC)
        exit(run_script(path, argv, environment, assignments));
    return error;
}

static bool is_directory(const char* path)
{
    struct stat status;
    return stat(path, &status) == 0 && S_ISDIR(status.st_mode);
}

_Noreturn void execute_external(char** argv, const StringList* assignments)
{
    StringList environment = { 0 };
    variables_environment(assignments, &environment);
    const char* name = argv[0];

    if (strchr(name, '/')) {
        int error = try_execute(name, argv, environment.items, assignments);
        if (error == EACCES && is_directory(name))
            error = EISDIR;
        shell_error("%s: %s", name, strerror(error));
        exit(error == ENOENT || error == ENOTDIR ? 127 : 126);
    }

    const char* path = variable_get("PATH");
    if (!path)
        path = DEFAULT_PATH;
    bool denied = false;
    for (const char* directory = path;;) {
        const char* end = strchrnul(directory, ':');
        StringBuffer candidate = { 0 };
        if (end > directory) {
            sb_append_n(&candidate, directory, (size_t)(end - directory));
            sb_append_char(&candidate, '/');
        }
        sb_append(&candidate, name);
        if (!is_directory(candidate.data)) {
            int error = try_execute(candidate.data, argv, environment.items, assignments);
            if (error == EACCES)
                denied = true;
        }
        sb_free(&candidate);
        if (!*end)
            break;
        directory = end + 1;
    }
    if (denied) {
        shell_error("%s: %s", name, strerror(EACCES));
        exit(126);
    }
    shell_error("%s: command not found", name);
    exit(127);
}
