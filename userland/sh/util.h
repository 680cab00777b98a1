#pragma once

// Memory and string helpers for the shell. Allocation failure is fatal (the
// shell prints "sh: out of memory" and exits with status 2): every caller can
// then treat an allocation as infallible, which keeps the parser and the
// expander readable.

#include <stdbool.h>
#include <stddef.h>

void* xmalloc(size_t size);
void* xcalloc(size_t count, size_t size);
void* xrealloc(void* pointer, size_t size);
char* xstrdup(const char* string);
char* xstrndup(const char* string, size_t length);

// A growable NUL-terminated string.
typedef struct {
    char* data;
    size_t length;
    size_t capacity;
} StringBuffer;

void sb_append_char(StringBuffer* buffer, char character);
void sb_append(StringBuffer* buffer, const char* string);
void sb_append_n(StringBuffer* buffer, const char* string, size_t length);
// Returns the string (never null) and leaves the buffer empty.
char* sb_take(StringBuffer* buffer);
void sb_clear(StringBuffer* buffer);
void sb_free(StringBuffer* buffer);

// A growable array of owned strings, always NULL-terminated so that `items`
// can be passed as an argv.
typedef struct {
    char** items;
    size_t count;
    size_t capacity;
} StringList;

void string_list_push(StringList* list, char* string);
void string_list_free(StringList* list);
void string_list_sort(StringList* list);

// Prints "sh: <message>\n" on stderr.
void shell_error(const char* format, ...) __attribute__((format(printf, 1, 2)));

// True for names of shell variables: [A-Za-z_][A-Za-z0-9_]*.
bool is_name_start(char character);
bool is_name_char(char character);
bool is_valid_name(const char* name, size_t length);
