// tail [-n N | -n +N | -N] [-c N] [file...]: the last N lines (default 10)
// or bytes of each file or of stdin; "+N" starts at line (byte) N instead.
// Several files get "==> name <==" headers as in GNU tail. The input is read
// into memory whole (it may be a pipe).

#include "lib/utility.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef enum {
    CountLines,
    CountBytes,
} CountUnit;

typedef struct {
    CountUnit unit;
    unsigned long long count;
    bool from_start; // "+N"
} Selection;

static char* read_all(int fd, size_t* length)
{
    size_t capacity = 65536;
    char* data = malloc(capacity);
    *length = 0;
    while (data) {
        if (*length == capacity) {
            char* grown = realloc(data, capacity * 2);
            if (!grown) {
                free(data);
                errno = ENOMEM;
                return NULL;
            }
            data = grown;
            capacity *= 2;
        }
        ssize_t count = read(fd, data + *length, capacity - *length);
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0) {
            free(data);
            return NULL;
        }
        if (count == 0)
            break;
        *length += (size_t)count;
    }
    return data;
}

// The offset where the output starts.
static size_t start_offset(const char* data, size_t length, const Selection* selection)
{
    unsigned long long count = selection->count;
    if (selection->unit == CountBytes) {
        if (selection->from_start)
            return count == 0 ? 0 : (count - 1 < length ? (size_t)(count - 1) : length);
        return count < length ? length - (size_t)count : 0;
    }
    if (selection->from_start) {
        size_t offset = 0;
        for (unsigned long long line = 1; line < count && offset < length; ++offset) {
            if (data[offset] == '\n')
                ++line;
        }
        return offset;
    }
    if (count == 0)
        return length;
    // Back from the end: the last line may lack its newline.
    size_t offset = length;
    if (offset > 0 && data[offset - 1] == '\n')
        --offset;
    while (offset > 0) {
        if (data[offset - 1] == '\n' && --count == 0)
            return offset;
        --offset;
    }
    return 0;
}

static bool parse_selection(const char* text, CountUnit unit, Selection* selection)
{
    selection->unit = unit;
    selection->from_start = text[0] == '+';
    if (text[0] == '+' || text[0] == '-')
        ++text;
    return parse_count(text, &selection->count);
}

int main(int argc, char** argv)
{
    g_program_name = "tail";
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
    Selection selection = { CountLines, 10, false };
    const char* text = options.value['c'] ? options.value['c'] : options.value['n'] ? options.value['n'] : numeric;
    CountUnit unit = options.value['c'] ? CountBytes : CountLines;
    if (text && !parse_selection(text, unit, &selection)) {
        report("invalid number of %s: '%s'", unit == CountBytes ? "bytes" : "lines", text);
        return 1;
    }
    int count = options.operand_count;
    bool headers = (count > 1 && !options.set['q']) || options.set['v'];
    int status = 0;
    bool first_output = true;
    for (int i = 0; i < (count ? count : 1); ++i) {
        const char* name = count ? options.operands[i] : "-";
        bool is_stdin = strcmp(name, "-") == 0;
        int fd = is_stdin ? STDIN_FILENO : open(name, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            report_errno("cannot open '%s' for reading", name);
            status = 1;
            continue;
        }
        size_t length;
        char* data = read_all(fd, &length);
        if (!is_stdin)
            close(fd);
        if (!data) {
            report_errno("error reading '%s'", is_stdin ? "standard input" : name);
            status = 1;
            continue;
        }
        if (headers) {
            printf("%s==> %s <==\n", first_output ? "" : "\n", is_stdin ? "standard input" : name);
            fflush(stdout);
        }
        first_output = false;
        size_t start = start_offset(data, length, &selection);
        if (!write_all(STDOUT_FILENO, data + start, length - start)) {
            report_errno("error writing 'standard output'");
            status = 1;
        }
        free(data);
    }
    return status;
}
