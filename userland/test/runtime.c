// The test programs' run-time; see runtime.h.
#include "runtime.h"

#include <stdarg.h>

struct start_info g_start;

static int s_passed;
static int s_failed;

void* memcpy(void* destination, const void* source, size_t count)
{
    unsigned char* d = destination;
    const unsigned char* s = source;
    while (count--)
        *d++ = *s++;
    return destination;
}

void* memmove(void* destination, const void* source, size_t count)
{
    unsigned char* d = destination;
    const unsigned char* s = source;
    if (d < s) {
        while (count--)
            *d++ = *s++;
    } else {
        while (count--)
            d[count] = s[count];
    }
    return destination;
}

void* memset(void* destination, int value, size_t count)
{
    unsigned char* d = destination;
    while (count--)
        *d++ = (unsigned char)value;
    return destination;
}

int memcmp(const void* a, const void* b, size_t count)
{
    const unsigned char* x = a;
    const unsigned char* y = b;
    for (size_t i = 0; i < count; ++i) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

size_t string_length(const char* s)
{
    size_t length = 0;
    while (s[length])
        ++length;
    return length;
}

int string_equal(const char* a, const char* b)
{
    while (*a && *a == *b) {
        ++a;
        ++b;
    }
    return *a == *b;
}

_Noreturn void exit_program(int status)
{
    for (;;)
        syscall1(SYS_exit_group, status);
}

struct buffer {
    char data[512];
    size_t length;
};

static void put_char(struct buffer* buffer, char c)
{
    if (buffer->length == sizeof(buffer->data)) {
        syscall3(SYS_write, 1, buffer->data, buffer->length);
        buffer->length = 0;
    }
    buffer->data[buffer->length++] = c;
}

static void put_unsigned(struct buffer* buffer, uint64_t value, unsigned base)
{
    char digits[24];
    int count = 0;
    do {
        unsigned digit = (unsigned)(value % base);
        digits[count++] = (char)(digit < 10 ? '0' + digit : 'a' + digit - 10);
        value /= base;
    } while (value);
    while (count)
        put_char(buffer, digits[--count]);
}

void out(const char* format, ...)
{
    struct buffer buffer;
    buffer.length = 0;
    va_list args;
    va_start(args, format);
    for (const char* p = format; *p; ++p) {
        if (*p != '%') {
            put_char(&buffer, *p);
            continue;
        }
        int is_long = 0;
        ++p;
        while (*p == 'l') {
            is_long = 1;
            ++p;
        }
        switch (*p) {
        case 's': {
            const char* s = va_arg(args, const char*);
            while (*s)
                put_char(&buffer, *s++);
            break;
        }
        case 'c':
            put_char(&buffer, (char)va_arg(args, int));
            break;
        case 'd': {
            int64_t value = is_long ? va_arg(args, long) : va_arg(args, int);
            if (value < 0) {
                put_char(&buffer, '-');
                put_unsigned(&buffer, (uint64_t)0 - (uint64_t)value, 10);
            } else {
                put_unsigned(&buffer, (uint64_t)value, 10);
            }
            break;
        }
        case 'u':
            put_unsigned(&buffer, is_long ? va_arg(args, unsigned long) : va_arg(args, unsigned), 10);
            break;
        case 'x':
            put_unsigned(&buffer, is_long ? va_arg(args, unsigned long) : va_arg(args, unsigned), 16);
            break;
        case 'p':
            put_char(&buffer, '0');
            put_char(&buffer, 'x');
            put_unsigned(&buffer, (uint64_t)va_arg(args, void*), 16);
            break;
        case '%':
            put_char(&buffer, '%');
            break;
        default:
            put_char(&buffer, '?');
            break;
        }
    }
    va_end(args);
    if (buffer.length)
        syscall3(SYS_write, 1, buffer.data, buffer.length);
}

uint64_t auxv_value(uint64_t type, int* found)
{
    for (uint64_t* entry = g_start.auxv; entry[0] != AT_NULL; entry += 2) {
        if (entry[0] == type) {
            if (found)
                *found = 1;
            return entry[1];
        }
    }
    if (found)
        *found = 0;
    return 0;
}

void check(const char* name, int condition)
{
    if (condition) {
        ++s_passed;
        out("ok %s\n", name);
    } else {
        ++s_failed;
        out("FAIL %s\n", name);
    }
}

void check_equal(const char* name, long actual, long expected)
{
    if (actual == expected) {
        ++s_passed;
        out("ok %s\n", name);
    } else {
        ++s_failed;
        out("FAIL %s: got %ld, expected %ld\n", name, actual, expected);
    }
}

int finish(const char* program)
{
    out("%s: %d passed, %d failed\n", program, s_passed, s_failed);
    return s_failed ? 1 : 0;
}

uint64_t monotonic_ns(void)
{
    struct timespec_k now;
    syscall2(SYS_clock_gettime, 1, &now);
    return (uint64_t)now.seconds * 1000000000u + (uint64_t)now.nanoseconds;
}

_Noreturn void start_program(uint64_t* stack);

_Noreturn void start_program(uint64_t* stack)
{
    g_start.initial_rsp = (uint64_t)stack;
    g_start.argc = (int)stack[0];
    g_start.argv = (char**)(stack + 1);
    g_start.envp = g_start.argv + g_start.argc + 1;
    char** env = g_start.envp;
    while (*env)
        ++env;
    g_start.auxv = (uint64_t*)(env + 1);
    exit_program(main(g_start.argc, g_start.argv));
}
