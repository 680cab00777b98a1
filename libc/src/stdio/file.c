// FILE objects: the three standard streams, opening and closing, buffering
// modes and the flush machinery (layout and states in stdio_impl.h).
//
// Buffering (C17 7.21.3): stderr is unbuffered; stdout and stdin are line
// buffered when they refer to a terminal (TCGETS succeeds) and fully buffered
// otherwise, decided at their first use; other streams are fully buffered.

#include "../internal/libc.h"
#include "stdio_impl.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned char s_stdin_buffer[BUFSIZ];
static unsigned char s_stdout_buffer[BUFSIZ];

static struct OspreyFile s_stderr = {
    .fd = 2,
    .flags = StreamCanWrite | StreamStatic,
    .mode = _IONBF,
    .pushback = EOF,
};
static struct OspreyFile s_stdout = {
    .fd = 1,
    .flags = StreamCanWrite | StreamStatic,
    .mode = STREAM_MODE_UNDECIDED,
    .buffer = s_stdout_buffer,
    .capacity = sizeof(s_stdout_buffer),
    .pushback = EOF,
    .next = &s_stderr,
};
static struct OspreyFile s_stdin = {
    .fd = 0,
    .flags = StreamCanRead | StreamStatic,
    .mode = STREAM_MODE_UNDECIDED,
    .buffer = s_stdin_buffer,
    .capacity = sizeof(s_stdin_buffer),
    .pushback = EOF,
    .next = &s_stdout,
};

FILE* stdin = &s_stdin;
FILE* stdout = &s_stdout;
FILE* stderr = &s_stderr;

static FILE* s_streams = &s_stdin;

void __stdio_link(FILE* stream)
{
    stream->next = s_streams;
    s_streams = stream;
}

void __stdio_unlink(FILE* stream)
{
    for (FILE** link = &s_streams; *link; link = &(*link)->next) {
        if (*link == stream) {
            *link = stream->next;
            return;
        }
    }
}

void __stdio_prepare(FILE* stream)
{
    if (stream->mode == STREAM_MODE_UNDECIDED)
        stream->mode = isatty(stream->fd) ? _IOLBF : _IOFBF;
    if (stream->buffer)
        return;
    if (stream->mode != _IONBF) {
        stream->buffer = malloc(BUFSIZ);
        if (stream->buffer) {
            stream->capacity = BUFSIZ;
            stream->flags |= StreamOwnsBuffer;
            return;
        }
        stream->mode = _IONBF;
    }
    stream->buffer = &stream->single_byte;
    stream->capacity = 1;
}

int __stdio_flush_output(FILE* stream)
{
    size_t sent = 0;
    while (sent < stream->write_length) {
        ssize_t written = write(stream->fd, stream->buffer + sent, stream->write_length - sent);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0) {
            // Keep what was not sent at the front of the buffer.
            memmove(stream->buffer, stream->buffer + sent, stream->write_length - sent);
            stream->write_length -= sent;
            stream->flags |= StreamError;
            return EOF;
        }
        sent += (size_t)written;
    }
    stream->write_length = 0;
    return 0;
}

int __stdio_to_idle(FILE* stream)
{
    if (stream->state == StreamWriting) {
        if (__stdio_flush_output(stream) == EOF)
            return EOF;
    } else if (stream->state == StreamReading) {
        // Give back the input read ahead, so the fd offset is the stream's.
        off_t unread = (off_t)(stream->read_end - stream->read_position) + (stream->pushback != EOF);
        if (unread > 0 && lseek(stream->fd, -unread, SEEK_CUR) < 0 && errno != ESPIPE)
            return EOF;
        stream->read_position = stream->read_end = 0;
        stream->pushback = EOF;
    }
    stream->state = StreamIdle;
    return 0;
}

void __stdio_flush_line_buffered(void)
{
    for (FILE* stream = s_streams; stream; stream = stream->next) {
        if (stream->state == StreamWriting && stream->mode == _IOLBF)
            __stdio_flush_output(stream);
    }
}

int fflush(FILE* stream)
{
    if (!stream) {
        int result = 0;
        for (FILE* each = s_streams; each; each = each->next) {
            if (each->state == StreamWriting && __stdio_flush_output(each) == EOF)
                result = EOF;
        }
        return result;
    }
    if (stream->state == StreamWriting)
        return __stdio_flush_output(stream);
    return __stdio_to_idle(stream);
}

void __stdio_exit(void)
{
    fflush(NULL);
}

int __stdio_parse_mode(const char* mode, int* open_flags)
{
    int flags;
    switch (*mode) {
    case 'r':
        flags = O_RDONLY;
        break;
    case 'w':
        flags = O_WRONLY | O_CREAT | O_TRUNC;
        break;
    case 'a':
        flags = O_WRONLY | O_CREAT | O_APPEND;
        break;
    default:
        errno = EINVAL;
        return -1;
    }
    for (const char* modifier = mode + 1; *modifier; ++modifier) {
        if (*modifier == '+')
            flags = (flags & ~O_ACCMODE) | O_RDWR;
        else if (*modifier == 'x')
            flags |= O_EXCL;
        else if (*modifier == 'e')
            flags |= O_CLOEXEC;
    }
    *open_flags = flags;
    return 0;
}

FILE* fdopen(int fd, const char* mode)
{
    int open_flags;
    if (__stdio_parse_mode(mode, &open_flags) < 0)
        return NULL;
    int fd_flags = fcntl(fd, F_GETFL);
    if (fd_flags < 0)
        return NULL;
    // The stream may not ask for more access than the descriptor has.
    int wanted = open_flags & O_ACCMODE;
    int granted = fd_flags & O_ACCMODE;
    if (granted != O_RDWR && wanted != granted) {
        errno = EINVAL;
        return NULL;
    }
    FILE* stream = calloc(1, sizeof(FILE));
    if (!stream)
        return NULL;
    stream->fd = fd;
    int access = open_flags & O_ACCMODE;
    stream->flags = (access != O_WRONLY ? StreamCanRead : 0) | (access != O_RDONLY ? StreamCanWrite : 0);
    stream->mode = _IOFBF;
    stream->pushback = EOF;
    __stdio_link(stream);
    return stream;
}

FILE* fopen(const char* restrict path, const char* restrict mode)
{
    int open_flags;
    if (__stdio_parse_mode(mode, &open_flags) < 0)
        return NULL;
    int fd = open(path, open_flags, 0666);
    if (fd < 0)
        return NULL;
    FILE* stream = fdopen(fd, mode);
    if (!stream)
        close(fd);
    return stream;
}

int fclose(FILE* stream)
{
    int result = fflush(stream);
    if (stream->state == StreamReading)
        __stdio_to_idle(stream);
    if (close(stream->fd) < 0)
        result = EOF;
    if (stream->flags & StreamOwnsBuffer)
        free(stream->buffer);
    if (stream->flags & StreamStatic) {
        stream->buffer = NULL;
        stream->flags = StreamStatic | StreamError;
        stream->fd = -1;
        return result;
    }
    __stdio_unlink(stream);
    free(stream);
    return result;
}

int setvbuf(FILE* restrict stream, char* restrict buffer, int mode, size_t size)
{
    if (mode != _IOFBF && mode != _IOLBF && mode != _IONBF) {
        errno = EINVAL;
        return -1;
    }
    if (__stdio_to_idle(stream) == EOF)
        return -1;
    if (stream->flags & StreamOwnsBuffer)
        free(stream->buffer);
    stream->flags &= ~StreamOwnsBuffer;
    stream->buffer = NULL;
    stream->capacity = 0;
    stream->mode = mode;
    if (mode != _IONBF && buffer && size > 0) {
        stream->buffer = (unsigned char*)buffer;
        stream->capacity = size;
    }
    return 0;
}

void setbuf(FILE* restrict stream, char* restrict buffer)
{
    setvbuf(stream, buffer, buffer ? _IOFBF : _IONBF, BUFSIZ);
}

int fileno(FILE* stream)
{
    if (stream->fd < 0) {
        errno = EBADF;
        return -1;
    }
    return stream->fd;
}

int feof(FILE* stream)
{
    return (stream->flags & StreamEof) != 0;
}

int ferror(FILE* stream)
{
    return (stream->flags & StreamError) != 0;
}

void clearerr(FILE* stream)
{
    stream->flags &= ~(StreamEof | StreamError);
}
