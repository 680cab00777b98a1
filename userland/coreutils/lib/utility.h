#pragma once

// Helpers shared by the core utilities: error reports in GNU's shape
// ("<program>: <what>: <strerror>"), option parsing for "-n N"/"-N" counts,
// the "-rw-r--r--" mode string, and writing whole buffers.

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

// Set by each utility's main before anything else.
extern const char* g_program_name;

// "<program>: <message>\n" on stderr.
void report(const char* format, ...) __attribute__((format(printf, 1, 2)));
// "<program>: <message>: <strerror(errno)>\n" on stderr; errno is kept.
void report_errno(const char* format, ...) __attribute__((format(printf, 1, 2)));

// "-rwxr-xr-x", "drwxr-xr-x", "lrwxrwxrwx"... (11 bytes with the NUL).
void mode_string(mode_t mode, char result[11]);

// Parses a non-negative decimal count. False on anything else.
bool parse_count(const char* text, unsigned long long* result);

// write(2) until done; false on an error (errno set).
bool write_all(int fd, const void* buffer, size_t length);
// Copies everything from `input` to `output`; false on an error (errno set,
// *failed_on_read tells which side failed).
bool copy_fd(int input, int output, bool* failed_on_read);

// Command-line options, GNU style: option letters may be grouped ("-la"),
// may come after operands ("ls dir -l"), "--" ends them, "-" alone is an
// operand. Letters followed by ':' in `spec` take a value ("-n 5", "-n5").
typedef struct {
    bool set[128];
    const char* value[128];
    char** operands;
    int operand_count;
} Options;

// Reports "invalid option -- 'x'" or "option requires an argument -- 'x'"
// and returns false on a bad option. The operands array is allocated.
bool options_parse(int argc, char** argv, const char* spec, Options* options);
