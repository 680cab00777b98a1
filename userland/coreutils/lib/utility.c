// Shared helpers of the core utilities (see utility.h).

#include "utility.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char* g_program_name = "?";

static void print_report(const char* format, va_list arguments, const char* error)
{
    char message[1024];
    vsnprintf(message, sizeof(message), format, arguments);
    fflush(stdout);
    if (error)
        fprintf(stderr, "%s: %s: %s\n", g_program_name, message, error);
    else
        fprintf(stderr, "%s: %s\n", g_program_name, message);
}

void report(const char* format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    print_report(format, arguments, NULL);
    va_end(arguments);
}

void report_errno(const char* format, ...)
{
    int error = errno;
    va_list arguments;
    va_start(arguments, format);
    print_report(format, arguments, strerror(error));
    va_end(arguments);
    errno = error;
}

void mode_string(mode_t mode, char result[11])
{
    char type = '?';
    switch (mode & S_IFMT) {
    case S_IFREG:
        type = '-';
        break;
    case S_IFDIR:
        type = 'd';
        break;
    case S_IFLNK:
        type = 'l';
        break;
    case S_IFCHR:
        type = 'c';
        break;
    case S_IFBLK:
        type = 'b';
        break;
    case S_IFIFO:
        type = 'p';
        break;
    case S_IFSOCK:
        type = 's';
        break;
    default:
        break;
    }
    result[0] = type;
    static const char letters[] = "rwxrwxrwx";
    for (int i = 0; i < 9; ++i)
        result[1 + i] = (char)((mode & (0400u >> i)) ? letters[i] : '-');
    // setuid, setgid and sticky replace the x: s/S, s/S, t/T.
    if (mode & S_ISUID)
        result[3] = (mode & S_IXUSR) ? 's' : 'S';
    if (mode & S_ISGID)
        result[6] = (mode & S_IXGRP) ? 's' : 'S';
    if (mode & S_ISVTX)
        result[9] = (mode & S_IXOTH) ? 't' : 'T';
    result[10] = '\0';
}

bool parse_count(const char* text, unsigned long long* result)
{
    if (!*text)
        return false;
    unsigned long long value = 0;
    for (; *text; ++text) {
        if (*text < '0' || *text > '9')
            return false;
        unsigned digit = (unsigned)(*text - '0');
        if (value > (~0ull - digit) / 10)
            return false;
        value = value * 10 + digit;
    }
    *result = value;
    return true;
}

bool write_all(int fd, const void* buffer, size_t length)
{
    const char* bytes = buffer;
    while (length > 0) {
        ssize_t count = write(fd, bytes, length);
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0)
            return false;
        bytes += count;
        length -= (size_t)count;
    }
    return true;
}

bool copy_fd(int input, int output, bool* failed_on_read)
{
    char buffer[65536];
    for (;;) {
        ssize_t count = read(input, buffer, sizeof(buffer));
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0) {
            *failed_on_read = true;
            return false;
        }
        if (count == 0)
            return true;
        if (!write_all(output, buffer, (size_t)count)) {
            *failed_on_read = false;
            return false;
        }
    }
}

bool options_parse(int argc, char** argv, const char* spec, Options* options)
{
    memset(options, 0, sizeof(*options));
    options->operands = calloc((size_t)argc + 1, sizeof(char*));
    if (!options->operands) {
        report("out of memory");
        return false;
    }
    bool only_operands = false;
    for (int i = 1; i < argc; ++i) {
        const char* argument = argv[i];
        if (only_operands || argument[0] != '-' || argument[1] == '\0') {
            options->operands[options->operand_count++] = argv[i];
            continue;
        }
        if (strcmp(argument, "--") == 0) {
            only_operands = true;
            continue;
        }
        for (const char* letter = argument + 1; *letter; ++letter) {
            unsigned char code = (unsigned char)*letter;
            const char* found = code < 128 && code != ':' ? strchr(spec, code) : NULL;
            if (!found) {
                report("invalid option -- '%c'", *letter);
                return false;
            }
            options->set[code] = true;
            if (found[1] != ':')
                continue;
            if (letter[1]) {
                options->value[code] = letter + 1;
            } else if (i + 1 < argc) {
                options->value[code] = argv[++i];
            } else {
                report("option requires an argument -- '%c'", *letter);
                return false;
            }
            break;
        }
    }
    return true;
}
