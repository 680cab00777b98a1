// Memory, string buffer and string list helpers (see util.h).

#include "util.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void out_of_memory(void)
{
    static const char message[] = "sh: out of memory\n";
    write(STDERR_FILENO, message, sizeof(message) - 1);
    _exit(2);
}

void* xmalloc(size_t size)
{
    void* pointer = malloc(size ? size : 1);
    if (!pointer)
        out_of_memory();
    return pointer;
}

void* xcalloc(size_t count, size_t size)
{
    void* pointer = calloc(count ? count : 1, size ? size : 1);
    if (!pointer)
        out_of_memory();
    return pointer;
}

void* xrealloc(void* pointer, size_t size)
{
    void* grown = realloc(pointer, size ? size : 1);
    if (!grown)
        out_of_memory();
    return grown;
}

char* xstrdup(const char* string)
{
    return xstrndup(string, strlen(string));
}

char* xstrndup(const char* string, size_t length)
{
    char* copy = xmalloc(length + 1);
    memcpy(copy, string, length);
    copy[length] = '\0';
    return copy;
}

static void sb_reserve(StringBuffer* buffer, size_t extra)
{
    if (buffer->length + extra + 1 <= buffer->capacity)
        return;
    size_t capacity = buffer->capacity ? buffer->capacity * 2 : 32;
    while (capacity < buffer->length + extra + 1)
        capacity *= 2;
    buffer->data = xrealloc(buffer->data, capacity);
    buffer->capacity = capacity;
}

void sb_append_char(StringBuffer* buffer, char character)
{
    sb_reserve(buffer, 1);
    buffer->data[buffer->length++] = character;
    buffer->data[buffer->length] = '\0';
}

void sb_append_n(StringBuffer* buffer, const char* string, size_t length)
{
    sb_reserve(buffer, length);
    memcpy(buffer->data + buffer->length, string, length);
    buffer->length += length;
    buffer->data[buffer->length] = '\0';
}

void sb_append(StringBuffer* buffer, const char* string)
{
    sb_append_n(buffer, string, strlen(string));
}

char* sb_take(StringBuffer* buffer)
{
    char* result = buffer->data ? buffer->data : xstrdup("");
    buffer->data = NULL;
    buffer->length = 0;
    buffer->capacity = 0;
    return result;
}

void sb_clear(StringBuffer* buffer)
{
    buffer->length = 0;
    if (buffer->data)
        buffer->data[0] = '\0';
}

void sb_free(StringBuffer* buffer)
{
    free(buffer->data);
    buffer->data = NULL;
    buffer->length = 0;
    buffer->capacity = 0;
}

void string_list_push(StringList* list, char* string)
{
    if (list->count + 2 > list->capacity) {
        list->capacity = list->capacity ? list->capacity * 2 : 8;
        list->items = xrealloc(list->items, list->capacity * sizeof(char*));
    }
    list->items[list->count++] = string;
    list->items[list->count] = NULL;
}

void string_list_free(StringList* list)
{
    for (size_t i = 0; i < list->count; ++i)
        free(list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = 0;
    list->capacity = 0;
}

static int compare_strings(const void* left, const void* right)
{
    return strcmp(*(char* const*)left, *(char* const*)right);
}

void string_list_sort(StringList* list)
{
    if (list->count > 1)
        qsort(list->items, list->count, sizeof(char*), compare_strings);
}

void shell_error(const char* format, ...)
{
    char message[1024];
    va_list arguments;
    va_start(arguments, format);
    int length = vsnprintf(message, sizeof(message) - 1, format, arguments);
    va_end(arguments);
    if (length < 0)
        return;
    if ((size_t)length > sizeof(message) - 2)
        length = sizeof(message) - 2;
    message[length++] = '\n';
    // One write, so that the line is not interleaved with a child's output.
    char line[1100];
    int total = snprintf(line, sizeof(line), "sh: %.*s", length, message);
    if (total > 0)
        write(STDERR_FILENO, line, (size_t)total < sizeof(line) ? (size_t)total : sizeof(line) - 1);
}

bool is_name_start(char character)
{
    return (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') || character == '_';
}

bool is_name_char(char character)
{
    return is_name_start(character) || (character >= '0' && character <= '9');
}

bool is_valid_name(const char* name, size_t length)
{
    if (length == 0 || !is_name_start(name[0]))
        return false;
    for (size_t i = 1; i < length; ++i) {
        if (!is_name_char(name[i]))
            return false;
    }
    return true;
}
