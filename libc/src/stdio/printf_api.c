// The printf family: each function pairs the engine (printf.c) with a sink.
//   - StringSink: a caller's buffer of known size (snprintf), always
//     NUL-terminated when the size is nonzero, excess output counted only;
//   - StreamSink: a FILE, through its buffer;
//   - DescriptorSink: a file descriptor, through a small local buffer;
//   - HeapSink: a growing malloc buffer (asprintf).

#include "format.h"
#include "stdio_impl.h"
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    FormatSink base;
    char* buffer;
    size_t capacity; // bytes available before the terminating NUL
    size_t used;
} StringSink;

static void string_sink_write(FormatSink* sink, const char* bytes, size_t length)
{
    StringSink* string = (StringSink*)sink;
    size_t room = string->capacity - string->used;
    size_t piece = length < room ? length : room;
    memcpy(string->buffer + string->used, bytes, piece);
    string->used += piece;
}

int vsnprintf(char* restrict buffer, size_t size, const char* restrict format, va_list arguments)
{
    char unused;
    StringSink sink = {
        .base = { .write = string_sink_write },
        .buffer = size ? buffer : &unused,
        .capacity = size ? size - 1 : 0,
    };
    int result = __format(&sink.base, format, arguments);
    if (size)
        buffer[sink.used] = '\0';
    return result;
}

int vsprintf(char* restrict buffer, const char* restrict format, va_list arguments)
{
    return vsnprintf(buffer, SIZE_MAX / 2, format, arguments);
}

typedef struct {
    FormatSink base;
    FILE* stream;
} StreamSink;

static void stream_sink_write(FormatSink* sink, const char* bytes, size_t length)
{
    StreamSink* stream = (StreamSink*)sink;
    if (__stdio_write(stream->stream, (const unsigned char*)bytes, length) != length)
        sink->failed = 1;
}

int vfprintf(FILE* restrict stream, const char* restrict format, va_list arguments)
{
    StreamSink sink = { .base = { .write = stream_sink_write }, .stream = stream };
    return __format(&sink.base, format, arguments);
}

int vprintf(const char* restrict format, va_list arguments)
{
    return vfprintf(stdout, format, arguments);
}

typedef struct {
    FormatSink base;
    int fd;
    size_t used;
    char buffer[512];
} DescriptorSink;

static void descriptor_sink_flush(DescriptorSink* sink)
{
    size_t sent = 0;
    while (sent < sink->used && !sink->base.failed) {
        ssize_t written = write(sink->fd, sink->buffer + sent, sink->used - sent);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            sink->base.failed = 1;
        else
            sent += (size_t)written;
    }
    sink->used = 0;
}

static void descriptor_sink_write(FormatSink* base, const char* bytes, size_t length)
{
    DescriptorSink* sink = (DescriptorSink*)base;
    while (length > 0) {
        if (sink->used == sizeof(sink->buffer))
            descriptor_sink_flush(sink);
        size_t room = sizeof(sink->buffer) - sink->used;
        size_t piece = length < room ? length : room;
        memcpy(sink->buffer + sink->used, bytes, piece);
        sink->used += piece;
        bytes += piece;
        length -= piece;
    }
}

int vdprintf(int fd, const char* restrict format, va_list arguments)
{
    DescriptorSink sink = { .base = { .write = descriptor_sink_write }, .fd = fd };
    int result = __format(&sink.base, format, arguments);
    descriptor_sink_flush(&sink);
    return sink.base.failed ? -1 : result;
}

typedef struct {
    FormatSink base;
    char* buffer;
    size_t used;
    size_t capacity;
} HeapSink;

static void heap_sink_write(FormatSink* base, const char* bytes, size_t length)
{
    HeapSink* sink = (HeapSink*)base;
    if (base->failed)
        return;
    if (sink->used + length + 1 > sink->capacity) {
        size_t capacity = sink->capacity ? sink->capacity : 64;
        while (capacity < sink->used + length + 1)
            capacity *= 2;
        char* grown = realloc(sink->buffer, capacity);
        if (!grown) {
            base->failed = 1;
            return;
        }
        sink->buffer = grown;
        sink->capacity = capacity;
    }
    memcpy(sink->buffer + sink->used, bytes, length);
    sink->used += length;
}

int vasprintf(char** restrict result, const char* restrict format, va_list arguments)
{
    HeapSink sink = { .base = { .write = heap_sink_write } };
    int length = __format(&sink.base, format, arguments);
    if (length < 0 || (!sink.buffer && !(sink.buffer = malloc(1)))) {
        free(sink.buffer);
        *result = NULL;
        return -1;
    }
    sink.buffer[sink.used] = '\0';
    *result = sink.buffer;
    return length;
}

#define DEFINE_VARIADIC(name, vname, parameters, arguments, last) \
    int name parameters                                           \
    {                                                             \
        va_list list;                                             \
        va_start(list, last);                                     \
        int written_ = vname arguments;                           \
        va_end(list);                                             \
        return written_;                                          \
    }

DEFINE_VARIADIC(printf, vprintf, (const char* restrict format, ...), (format, list), format)
DEFINE_VARIADIC(
    fprintf, vfprintf, (FILE* restrict stream, const char* restrict format, ...), (stream, format, list), format)
DEFINE_VARIADIC(dprintf, vdprintf, (int fd, const char* restrict format, ...), (fd, format, list), format)
DEFINE_VARIADIC(
    sprintf, vsprintf, (char* restrict buffer, const char* restrict format, ...), (buffer, format, list), format)
DEFINE_VARIADIC(snprintf, vsnprintf, (char* restrict buffer, size_t size, const char* restrict format, ...),
    (buffer, size, format, list), format)
DEFINE_VARIADIC(
    asprintf, vasprintf, (char** restrict result, const char* restrict format, ...), (result, format, list), format)
