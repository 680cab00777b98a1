#pragma once

// The printf engine shared by every printf-family function.
//
// __format() walks the format string and sends the output to a sink in
// pieces; the sink decides where the bytes go (a string, a FILE, a file
// descriptor, a growing heap buffer). The engine counts every byte the
// conversion produces, whether or not the sink keeps it, because snprintf
// returns the untruncated length.

#include <stdarg.h>
#include <stddef.h>

typedef struct FormatSink {
    void (*write)(struct FormatSink* sink, const char* bytes, size_t length);
    size_t count; // bytes produced so far
    int failed;   // set by a sink that could not store or send its bytes
} FormatSink;

// One parsed conversion specification (C17 7.21.6.1).
typedef struct {
    int left;      // '-'
    int plus;      // '+'
    int space;     // ' '
    int alternate; // '#'
    int zero;      // '0'
    int width;     // 0 when absent
    int precision; // -1 when absent
    char conversion;
} FormatSpec;

// Returns the number of bytes produced, or -1 with errno set (EOVERFLOW when
// the count exceeds INT_MAX, EILSEQ for a wide character outside ASCII, or the
// sink's failure).
int __format(FormatSink* sink, const char* format, va_list arguments);

void __format_emit(FormatSink* sink, const char* bytes, size_t length);
void __format_pad(FormatSink* sink, char byte, int count);

// %f %F %e %E %g %G of a double, exactly rounded like glibc (printf_float.c).
void __format_double(FormatSink* sink, double value, const FormatSpec* spec);
