// cat [-n] [file...]: concatenates files (or stdin, also for "-") to stdout.
// -n numbers the output lines as GNU does ("%6d\t").

#include "lib/utility.h"
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    bool number_lines;
    unsigned long line;
    bool at_line_start;
} CatOptions;

static bool copy_numbered(int fd, CatOptions* options)
{
    char buffer[65536];
    ssize_t count;
    while ((count = read(fd, buffer, sizeof(buffer))) != 0) {
        if (count < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        for (ssize_t i = 0; i < count; ++i) {
            if (options->at_line_start)
                printf("%6lu\t", ++options->line);
            putchar(buffer[i]);
            options->at_line_start = buffer[i] == '\n';
        }
    }
    return true;
}

// Returns false (after reporting) on an error.
static bool cat_fd(int fd, const char* name, CatOptions* options)
{
    struct stat status;
    if (fstat(fd, &status) == 0 && S_ISDIR(status.st_mode)) {
        errno = EISDIR;
        report_errno("%s", name);
        return false;
    }
    if (options->number_lines) {
        if (!copy_numbered(fd, options)) {
            report_errno("%s", name);
            return false;
        }
        return true;
    }
    bool failed_on_read = false;
    if (!copy_fd(fd, STDOUT_FILENO, &failed_on_read)) {
        if (failed_on_read)
            report_errno("%s", name);
        else
            report_errno("write error");
        return false;
    }
    return true;
}

int main(int argc, char** argv)
{
    g_program_name = "cat";
    Options parsed;
    if (!options_parse(argc, argv, "n", &parsed))
        return 1;
    CatOptions options = { .number_lines = parsed.set['n'], .at_line_start = true };
    int status = 0;
    if (parsed.operand_count == 0)
        status = cat_fd(STDIN_FILENO, "-", &options) ? 0 : 1;
    for (int i = 0; i < parsed.operand_count; ++i) {
        const char* name = parsed.operands[i];
        if (strcmp(name, "-") == 0) {
            if (!cat_fd(STDIN_FILENO, "-", &options))
                status = 1;
            continue;
        }
        int fd = open(name, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            report_errno("%s", name);
            status = 1;
            continue;
        }
        fflush(stdout);
        if (!cat_fd(fd, name, &options))
            status = 1;
        close(fd);
    }
    if (fflush(stdout) != 0) {
        report_errno("write error");
        status = 1;
    }
    return status;
}
