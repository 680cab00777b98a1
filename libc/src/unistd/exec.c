// The exec family built on execve: execvp searches PATH (default
// "/bin:/usr/bin") for a name without a slash, trying each directory in order;
// it remembers EACCES and keeps looking, as POSIX describes, and runs a file
// that is not a valid executable (ENOEXEC) through /bin/sh.

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int execv(const char* path, char* const argv[])
{
    return execve(path, argv, environ);
}

static void run_as_script(const char* path, char* const argv[], char* const envp[])
{
    int count = 0;
    while (argv[count])
        ++count;
    char** shell_argv = malloc((size_t)(count + 2) * sizeof(char*));
    if (!shell_argv)
        return;
    shell_argv[0] = "sh";
    shell_argv[1] = (char*)path;
    for (int i = 1; i <= count; ++i)
        shell_argv[i + 1] = argv[i];
    execve("/bin/sh", shell_argv, envp);
    free(shell_argv);
}

int execvpe(const char* file, char* const argv[], char* const envp[])
{
    if (!*file) {
        errno = ENOENT;
        return -1;
    }
    if (strchr(file, '/')) {
        execve(file, argv, envp);
        if (errno == ENOEXEC)
            run_as_script(file, argv, envp);
        return -1;
    }
    const char* path = getenv("PATH");
    if (!path)
        path = "/bin:/usr/bin";
    size_t file_length = strlen(file);
    int saw_eacces = 0;
    for (const char* directory = path;; ++directory) {
        const char* end = strchrnul(directory, ':');
        size_t directory_length = (size_t)(end - directory);
        char candidate[PATH_MAX];
        if (directory_length + 1 + file_length < sizeof(candidate)) {
            // An empty entry means the current directory.
            memcpy(candidate, directory, directory_length);
            size_t length = directory_length;
            if (length > 0)
                candidate[length++] = '/';
            memcpy(candidate + length, file, file_length + 1);
            execve(candidate, argv, envp);
            if (errno == ENOEXEC) {
                run_as_script(candidate, argv, envp);
                return -1;
            }
            if (errno == EACCES)
                saw_eacces = 1;
            else if (errno != ENOENT && errno != ENOTDIR)
                return -1;
        }
        if (!*end)
            break;
        directory = end;
    }
    errno = saw_eacces ? EACCES : ENOENT;
    return -1;
}

int execvp(const char* file, char* const argv[])
{
    return execvpe(file, argv, environ);
}

// Collects the variadic list of execl/execlp into an argv array on the stack.
#define COLLECT_ARGUMENTS(first, argv)        \
    int count_ = 1;                           \
    va_list arguments_;                       \
    va_start(arguments_, first);              \
    while (va_arg(arguments_, const char*))   \
        ++count_;                             \
    va_end(arguments_);                       \
    char* argv[count_ + 1];                   \
    argv[0] = (char*)(first);                 \
    va_start(arguments_, first);              \
    for (int i_ = 1; i_ <= count_; ++i_)      \
        argv[i_] = va_arg(arguments_, char*); \
    va_end(arguments_)

int execl(const char* path, const char* argument, ...)
{
    COLLECT_ARGUMENTS(argument, argv);
    return execve(path, argv, environ);
}

int execlp(const char* file, const char* argument, ...)
{
    COLLECT_ARGUMENTS(argument, argv);
    return execvp(file, argv);
}
