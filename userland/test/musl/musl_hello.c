// A program built with Debian's musl-gcc -static (not Osprey's libc): it
// must run unmodified on Osprey and print exactly what it prints on the
// host Linux. printf, file I/O (in the directory given as argv[1]), a pipe
// to a forked child, and wait.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void check(const char* what, int ok)
{
    printf("%s %s\n", ok ? "ok" : "FAIL", what);
    if (!ok)
        failures++;
}

int main(int argc, char** argv)
{
    printf("hello from musl: %d %s %.3f %x %5.1e\n", 42, "text", 3.14159, 48879, 12345.678);
    const char* directory = argc > 1 ? argv[1] : "/tmp";
    char path[256];
    snprintf(path, sizeof(path), "%s/musl_hello.%d", directory, (int)getpid());

    FILE* file = fopen(path, "w");
    check("fopen for writing", file != NULL);
    if (file) {
        for (int i = 0; i < 100; i++)
            fprintf(file, "line %d\n", i);
        check("fclose", fclose(file) == 0);
    }
    struct stat info;
    check("stat size", stat(path, &info) == 0 && info.st_size == 790);
    file = fopen(path, "r");
    char line[64] = "";
    int lines = 0;
    int last = -1;
    while (file && fgets(line, sizeof(line), file)) {
        lines++;
        sscanf(line, "line %d", &last);
    }
    check("read back 100 lines", lines == 100 && last == 99);
    if (file)
        fclose(file);
    int fd = open(path, O_RDONLY);
    char bytes[8] = "";
    check("lseek and read",
        fd >= 0 && lseek(fd, 7, SEEK_SET) == 7 && read(fd, bytes, 6) == 6 && memcmp(bytes, "line 1", 6) == 0);
    close(fd);
    check("unlink", unlink(path) == 0);
    errno = 0;
    check("open after unlink: ENOENT", open(path, O_RDONLY) == -1 && errno == ENOENT);

    int fds[2];
    check("pipe", pipe(fds) == 0);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        FILE* out = fdopen(fds[1], "w");
        fprintf(out, "child says %d", 7 * 6);
        fclose(out);
        _exit(9);
    }
    check("fork", pid > 0);
    close(fds[1]);
    char message[64] = "";
    ssize_t length = 0, got;
    while ((got = read(fds[0], message + length, sizeof(message) - 1 - (size_t)length)) > 0)
        length += got;
    close(fds[0]);
    check("the child's message through the pipe", strcmp(message, "child says 42") == 0);
    int status = 0;
    check("waitpid", waitpid(pid, &status, 0) == pid);
    check("child exit status 9", WIFEXITED(status) && WEXITSTATUS(status) == 9);
    char* heap = malloc(1 << 20);
    check("malloc 1 MiB", heap != NULL);
    memset(heap, 'x', 1 << 20);
    free(heap);
    printf("musl: %d failed\n", failures);
    return failures ? 1 : 0;
}
