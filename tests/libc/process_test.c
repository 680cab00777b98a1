// Processes and files: fork, wait statuses, pipes, dup2, execve/execvp (the
// program re-executes itself as a child helper), exit codes, kill, and
// directory listing with opendir/readdir.

#include "check.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char* s_self;

// Child modes, selected by argv[1] when the program runs itself.
static int child_main(int argc, char** argv)
{
    if (strcmp(argv[1], "echo-args") == 0) {
        for (int i = 2; i < argc; ++i)
            printf("%s%c", argv[i], i + 1 < argc ? ' ' : '\n');
        return 0;
    }
    if (strcmp(argv[1], "env") == 0) {
        const char* value = getenv("OSPREY_CHILD");
        printf("%s\n", value ? value : "(unset)");
        return 0;
    }
    if (strcmp(argv[1], "exit") == 0)
        return atoi(argv[2]);
    return 100;
}

// Runs a command with its stdout captured through a pipe.
static int capture(char* const argv[], char* const envp[], char* output, size_t size)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        if (envp)
            execve(argv[0], argv, envp);
        else
            execvp(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    size_t length = 0;
    ssize_t count;
    while (length + 1 < size && (count = read(fds[0], output + length, size - 1 - length)) > 0)
        length += (size_t)count;
    output[length] = '\0';
    close(fds[0]);
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

static void test_fork_wait(void)
{
    check_section("fork and wait");
    fflush(stdout);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0)
        _exit(getppid() == parent ? 42 : 1);
    CHECK(pid > 0);
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42 && !WIFSIGNALED(status));

    pid = fork();
    if (pid == 0) {
        raise(SIGTERM);
        _exit(0);
    }
    CHECK(wait(&status) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM && !WIFEXITED(status));

    pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    CHECK(waitpid(pid, &status, WNOHANG) == 0);
    CHECK(kill(pid, SIGKILL) == 0);
    CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    CHECK(waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD);

    // exit() flushes stdio in the child: the parent sees the child's output.
    int fds[2];
    pipe(fds);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        FILE* stream = fdopen(fds[1], "w");
        fprintf(stream, "from child %d", 7);
        exit(3);
    }
    close(fds[1]);
    char buffer[64] = "";
    ssize_t count = read(fds[0], buffer, sizeof(buffer) - 1);
    close(fds[0]);
    CHECK(count == 12 && strcmp(buffer, "from child 7") == 0);
    CHECK(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 3);
}

static void test_pipes(void)
{
    check_section("pipes");
    int fds[2];
    CHECK(pipe(fds) == 0);
    CHECK(write(fds[1], "ping", 4) == 4);
    char buffer[8] = "";
    CHECK(read(fds[0], buffer, sizeof(buffer)) == 4 && memcmp(buffer, "ping", 4) == 0);
    close(fds[1]);
    CHECK(read(fds[0], buffer, sizeof(buffer)) == 0); // end of file once writers are gone
    close(fds[0]);

    CHECK(pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0);
    CHECK(fcntl(fds[0], F_GETFD) == FD_CLOEXEC);
    CHECK(read(fds[0], buffer, 1) == -1 && errno == EAGAIN);
    int copy = dup(fds[1]);
    CHECK(copy > fds[1] && fcntl(copy, F_GETFD) == 0);
    CHECK(dup2(copy, 50) == 50 && write(50, "x", 1) == 1 && read(fds[0], buffer, 1) == 1 && buffer[0] == 'x');
    close(50);
    close(copy);
    close(fds[0]);
    // Writing to a pipe without readers: EPIPE (SIGPIPE ignored here).
    signal(SIGPIPE, SIG_IGN);
    CHECK(write(fds[1], "x", 1) == -1 && errno == EPIPE);
    signal(SIGPIPE, SIG_DFL);
    close(fds[1]);
    CHECK(close(fds[1]) == -1 && errno == EBADF);
}

static void test_exec(void)
{
    check_section("exec");
    char output[256];
    char* echo_argv[] = { (char*)s_self, "echo-args", "one", "two words", "3", NULL };
    int status = capture(echo_argv, environ, output, sizeof(output));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_STRING(output, "one two words 3\n");

    char* env_argv[] = { (char*)s_self, "env", NULL };
    char* child_environment[] = { "OSPREY_CHILD=passed", NULL };
    capture(env_argv, child_environment, output, sizeof(output));
    CHECK_STRING(output, "passed\n");
    char* empty_environment[] = { NULL };
    capture(env_argv, empty_environment, output, sizeof(output));
    CHECK_STRING(output, "(unset)\n");

    char* exit_argv[] = { (char*)s_self, "exit", "77", NULL };
    status = capture(exit_argv, environ, output, sizeof(output));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 77);

    // execvp searches PATH.
    char* true_argv[] = { "true", NULL };
    status = capture(true_argv, NULL, output, sizeof(output));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char* missing_argv[] = { "osprey-no-such-program", NULL };
    CHECK(execvp(missing_argv[0], missing_argv) == -1 && errno == ENOENT);
    CHECK(execve("/nonexistent/program", missing_argv, environ) == -1 && errno == ENOENT);
    char* directory_argv[] = { "/", NULL };
    CHECK(execve("/", directory_argv, environ) == -1 && errno == EACCES);
}

static int compare_names(const void* left, const void* right)
{
    return strcmp(*(char* const*)left, *(char* const*)right);
}

static void test_directories(void)
{
    check_section("directories");
    char directory[256];
    snprintf(directory, sizeof(directory), "%s/dir-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    CHECK(mkdtemp(directory) != NULL);
    char path[512];
    // Enough entries to need more than one getdents64 call.
    for (int i = 0; i < 300; ++i) {
        snprintf(path, sizeof(path), "%s/file-%03d-with-a-longer-name", directory, i);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
        close(fd);
    }
    snprintf(path, sizeof(path), "%s/subdirectory", directory);
    CHECK(mkdir(path, 0755) == 0);
    CHECK(mkdir(path, 0755) == -1 && errno == EEXIST);

    DIR* stream = opendir(directory);
    CHECK(stream != NULL);
    char* names[400];
    int count = 0;
    int directories = 0;
    int dots = 0;
    struct dirent* entry;
    while ((entry = readdir(stream)) && count < 400) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) {
            ++dots;
            continue;
        }
        directories += entry->d_type == DT_DIR;
        names[count++] = strdup(entry->d_name);
    }
    CHECK(dots == 2 && count == 301 && directories == 1);
    qsort(names, (size_t)count, sizeof(char*), compare_names);
    CHECK_STRING(names[0], "file-000-with-a-longer-name");
    CHECK_STRING(names[299], "file-299-with-a-longer-name");
    CHECK_STRING(names[300], "subdirectory");
    rewinddir(stream);
    int again = 0;
    while (readdir(stream))
        ++again;
    CHECK(again == 303);
    CHECK(closedir(stream) == 0);

    struct stat status;
    CHECK(stat(path, &status) == 0 && S_ISDIR(status.st_mode));
    CHECK(rmdir(directory) == -1 && errno == ENOTEMPTY);
    for (int i = 0; i < count; ++i) {
        snprintf(path, sizeof(path), "%s/%s", directory, names[i]);
        if (i < 300)
            unlink(path);
        else
            rmdir(path);
        free(names[i]);
    }
    CHECK(rmdir(directory) == 0);
    CHECK(opendir(directory) == NULL && errno == ENOENT);
    CHECK(opendir("/dev/null") == NULL && errno == ENOTDIR);

    char cwd[512];
    CHECK(getcwd(cwd, sizeof(cwd)) == cwd && cwd[0] == '/');
    CHECK(chdir("/") == 0 && getcwd(path, sizeof(path)) && strcmp(path, "/") == 0);
    char* allocated = getcwd(NULL, 0);
    CHECK_STRING(allocated, "/");
    free(allocated);
    CHECK(chdir(cwd) == 0);
    CHECK(getcwd(path, 1) == NULL && errno == ERANGE);
}

int main(int argc, char** argv)
{
    if (argc > 1)
        return child_main(argc, argv);
    s_self = argv[0];
    test_fork_wait();
    test_pipes();
    test_exec();
    test_directories();
    return check_summary();
}
