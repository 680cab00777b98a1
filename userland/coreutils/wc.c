// wc [-lwc] [file...]: counts newlines, words (runs of non-blank
// characters) and bytes of each file or of stdin, with a "total" line for
// several files. The column width follows GNU wc: 1 for a single count of a
// single input; otherwise the digits of the total size of the regular files,
// and at least 7 when an input is not a regular file (a pipe, say).

#include "lib/utility.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    unsigned long long lines;
    unsigned long long words;
    unsigned long long bytes;
} Counts;

typedef struct {
    bool lines;
    bool words;
    bool bytes;
} Columns;

static bool count_fd(int fd, Counts* counts)
{
    char buffer[65536];
    bool in_word = false;
    for (;;) {
        ssize_t count = read(fd, buffer, sizeof(buffer));
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0)
            return false;
        if (count == 0)
            return true;
        counts->bytes += (unsigned long long)count;
        for (ssize_t i = 0; i < count; ++i) {
            unsigned char character = (unsigned char)buffer[i];
            if (character == '\n')
                ++counts->lines;
            if (isspace(character)) {
                in_word = false;
            } else if (isprint(character) && !in_word) {
                in_word = true;
                ++counts->words;
            }
        }
    }
}

static void print_counts(const Counts* counts, const Columns* columns, int width, const char* name)
{
    const char* separator = "";
    if (columns->lines) {
        printf("%*llu", width, counts->lines);
        separator = " ";
    }
    if (columns->words) {
        printf("%s%*llu", separator, width, counts->words);
        separator = " ";
    }
    if (columns->bytes)
        printf("%s%*llu", separator, width, counts->bytes);
    if (name)
        printf(" %s", name);
    putchar('\n');
}

static int number_width(char** names, int count, const Columns* columns)
{
    int inputs = count ? count : 1;
    if (inputs == 1 && columns->lines + columns->words + columns->bytes == 1)
        return 1;
    unsigned long long regular_total = 0;
    int minimum = 1;
    for (int i = 0; i < inputs; ++i) {
        struct stat status;
        bool is_stdin = count == 0 || strcmp(names[i], "-") == 0;
        if ((is_stdin ? fstat(STDIN_FILENO, &status) : stat(names[i], &status)) < 0)
            continue;
        if (S_ISREG(status.st_mode))
            regular_total += (unsigned long long)status.st_size;
        else
            minimum = 7;
    }
    int width = 1;
    for (; regular_total >= 10; regular_total /= 10)
        ++width;
    return width < minimum ? minimum : width;
}

int main(int argc, char** argv)
{
    g_program_name = "wc";
    Options options;
    if (!options_parse(argc, argv, "lwc", &options))
        return 1;
    Columns columns = { options.set['l'], options.set['w'], options.set['c'] };
    if (!columns.lines && !columns.words && !columns.bytes)
        columns = (Columns) { true, true, true };
    int count = options.operand_count;
    int width = number_width(options.operands, count, &columns);
    Counts total = { 0 };
    int status = 0;
    for (int i = 0; i < (count ? count : 1); ++i) {
        const char* name = count ? options.operands[i] : NULL;
        bool is_stdin = !name || strcmp(name, "-") == 0;
        int fd = is_stdin ? STDIN_FILENO : open(name, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            report_errno("%s", name);
            status = 1;
            continue;
        }
        Counts counts = { 0 };
        if (!count_fd(fd, &counts)) {
            report_errno("%s", name ? name : "standard input");
            status = 1;
        }
        if (!is_stdin)
            close(fd);
        print_counts(&counts, &columns, width, name);
        total.lines += counts.lines;
        total.words += counts.words;
        total.bytes += counts.bytes;
    }
    if (count > 1)
        print_counts(&total, &columns, width, "total");
    if (fflush(stdout) != 0) {
        report_errno("write error");
        status = 1;
    }
    return status;
}
