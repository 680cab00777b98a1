// head [-n N | -N] [-c N] [file...]: the first N lines (default 10) or N
// bytes of each file or of stdin. With several files each gets a
// "==> name <==" header, as GNU head prints it.

#include "lib/utility.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef enum {
    CountLines,
    CountBytes,
} CountUnit;

// Copies the first `limit` lines or bytes of fd to stdout.
static bool head_fd(int fd, const char* name, unsigned long long limit, CountUnit unit)
{
    char buffer[65536];
    while (limit > 0) {
        ssize_t count = read(fd, buffer, sizeof(buffer));
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0) {
            report_errno("error reading '%s'", name);
            return false;
        }
        if (count == 0)
            break;
        size_t take = (size_t)count;
        if (unit == CountBytes) {
            if (take > limit)
                take = (size_t)limit;
            limit -= take;
        } else {
            for (size_t i = 0; i < (size_t)count; ++i) {
                if (buffer[i] == '\n' && --limit == 0) {
                    take = i + 1;
                    break;
                }
            }
        }
        if (!write_all(STDOUT_FILENO, buffer, take)) {
            report_errno("error writing 'standard output'");
            return false;
        }
    }
    return true;
}

int main(int argc, char** argv)
{
    g_program_name = "head";
    // "-5" means "-n 5".
    char* numeric = NULL;
    for (int i = 1; i < argc; ++i) {
        if (argv[i][0] == '-' && argv[i][1] >= '0' && argv[i][1] <= '9') {
            numeric = argv[i] + 1;
            memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof(char*));
            --argc;
            break;
        }
    }
    Options options;
    if (!options_parse(argc, argv, "n:c:qv", &options))
        return 1;
    CountUnit unit = options.value['c'] ? CountBytes : CountLines;
    const char* count_text = options.value['c'] ? options.value['c']
        : options.value['n']                    ? options.value['n']
                                                : numeric;
    unsigned long long limit = 10;
    if (count_text && !parse_count(count_text, &limit)) {
        report("invalid number of %s: '%s'", unit == CountBytes ? "bytes" : "lines", count_text);
        return 1;
    }
    int count = options.operand_count;
    bool headers = (count > 1 && !options.set['q']) || options.set['v'];
    int status = 0;
    for (int i = 0; i < (count ? count : 1); ++i) {
        const char* name = count ? options.operands[i] : "-";
        bool is_stdin = strcmp(name, "-") == 0;
        int fd = is_stdin ? STDIN_FILENO : open(name, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            report_errno("cannot open '%s' for reading", name);
            status = 1;
            continue;
        }
        if (headers) {
            char header[4200];
            int length = snprintf(
                header, sizeof(header), "%s==> %s <==\n", i > 0 ? "\n" : "", is_stdin ? "standard input" : name);
            write_all(STDOUT_FILENO, header, (size_t)length < sizeof(header) ? (size_t)length : sizeof(header) - 1);
        }
        if (!head_fd(fd, is_stdin ? "standard input" : name, limit, unit))
            status = 1;
        if (!is_stdin)
            close(fd);
    }
    return status;
}
