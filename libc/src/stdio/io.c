// Reading and writing through a stream's buffer, and positioning.

#include "stdio_impl.h"
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// Writes everything or stops at the first failure; returns the bytes sent.
static size_t write_all(FILE* stream, const unsigned char* bytes, size_t length)
{
    size_t sent = 0;
    while (sent < length) {
        ssize_t written = write(stream->fd, bytes + sent, length - sent);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0) {
            stream->flags |= StreamError;
            break;
        }
        sent += (size_t)written;
    }
    return sent;
}

static int begin_writing(FILE* stream)
{
    if (!(stream->flags & StreamCanWrite)) {
        errno = EBADF;
        stream->flags |= StreamError;
        return EOF;
    }
    if (stream->state == StreamReading && __stdio_to_idle(stream) == EOF)
        return EOF;
    __stdio_prepare(stream);
    stream->state = StreamWriting;
    return 0;
}

// Copies into the buffer, sending it whenever it fills; large writes into
// an empty buffer go straight to the descriptor.
static size_t buffered_write(FILE* stream, const unsigned char* bytes, size_t length)
{
    size_t accepted = 0;
    while (accepted < length) {
        if (stream->write_length == stream->capacity && __stdio_flush_output(stream) == EOF)
            return accepted;
        size_t remaining = length - accepted;
        if (stream->write_length == 0 && remaining >= stream->capacity)
            return accepted + write_all(stream, bytes + accepted, remaining);
        size_t space = stream->capacity - stream->write_length;
        size_t piece = remaining < space ? remaining : space;
        memcpy(stream->buffer + stream->write_length, bytes + accepted, piece);
        stream->write_length += piece;
        accepted += piece;
    }
    return accepted;
}

size_t __stdio_write(FILE* stream, const unsigned char* bytes, size_t length)
{
    if (begin_writing(stream) == EOF)
        return 0;
    if (stream->mode == _IONBF) {
        if (__stdio_flush_output(stream) == EOF)
            return 0;
        return write_all(stream, bytes, length);
    }
    if (stream->mode == _IOLBF) {
        // Everything up to the last newline goes out now; the rest waits.
        const unsigned char* newline = memrchr(bytes, '\n', length);
        if (newline) {
            size_t line_length = (size_t)(newline - bytes) + 1;
            size_t accepted = buffered_write(stream, bytes, line_length);
            if (accepted < line_length || __stdio_flush_output(stream) == EOF)
                return accepted;
            return accepted + buffered_write(stream, bytes + line_length, length - line_length);
        }
    }
    return buffered_write(stream, bytes, length);
}

size_t __stdio_fill(FILE* stream)
{
    if (!(stream->flags & StreamCanRead)) {
        errno = EBADF;
        stream->flags |= StreamError;
        return 0;
    }
    if (stream->state == StreamWriting && __stdio_to_idle(stream) == EOF)
        return 0;
    __stdio_prepare(stream);
    if (stream->state == StreamReading && stream->read_position < stream->read_end)
        return stream->read_end - stream->read_position;
    // C17 7.21.3p3: reading a line-buffered or unbuffered stream from its
    // device first sends the output of the line-buffered streams (prompts).
    if (stream->mode != _IOFBF)
        __stdio_flush_line_buffered();
    ssize_t count;
    do
        count = read(stream->fd, stream->buffer, stream->capacity);
    while (count < 0 && errno == EINTR);
    stream->state = StreamReading;
    stream->read_position = 0;
    stream->read_end = count > 0 ? (size_t)count : 0;
    if (count == 0)
        stream->flags |= StreamEof;
    else if (count < 0)
        stream->flags |= StreamError;
    return stream->read_end;
}

int fgetc(FILE* stream)
{
    if (stream->pushback != EOF) {
        int byte = stream->pushback;
        stream->pushback = EOF;
        return byte;
    }
    if (stream->state != StreamReading || stream->read_position == stream->read_end) {
        if (__stdio_fill(stream) == 0)
            return EOF;
    }
    return stream->buffer[stream->read_position++];
}

int getc(FILE* stream)
{
    return fgetc(stream);
}

int getchar(void)
{
    return fgetc(stdin);
}

int ungetc(int byte, FILE* stream)
{
    if (byte == EOF || stream->pushback != EOF)
        return EOF;
    if (stream->state == StreamWriting && __stdio_to_idle(stream) == EOF)
        return EOF;
    if (stream->state == StreamIdle) {
        stream->state = StreamReading;
        stream->read_position = stream->read_end = 0;
    }
    stream->pushback = (unsigned char)byte;
    stream->flags &= ~StreamEof;
    return (unsigned char)byte;
}

size_t fread(void* restrict buffer, size_t size, size_t count, FILE* restrict stream)
{
    if (size == 0 || count == 0)
        return 0;
    if (count > SIZE_MAX / size) {
        errno = EOVERFLOW;
        stream->flags |= StreamError;
        return 0;
    }
    unsigned char* out = buffer;
    size_t wanted = size * count;
    size_t done = 0;
    if (stream->pushback != EOF) {
        out[done++] = (unsigned char)stream->pushback;
        stream->pushback = EOF;
    }
    while (done < wanted) {
        size_t available = stream->state == StreamReading ? stream->read_end - stream->read_position : 0;
        if (available == 0 && (available = __stdio_fill(stream)) == 0)
            break;
        size_t piece = wanted - done < available ? wanted - done : available;
        memcpy(out + done, stream->buffer + stream->read_position, piece);
        stream->read_position += piece;
        done += piece;
    }
    return done / size;
}

size_t fwrite(const void* restrict buffer, size_t size, size_t count, FILE* restrict stream)
{
    if (size == 0 || count == 0)
        return 0;
    if (count > SIZE_MAX / size) {
        errno = EOVERFLOW;
        stream->flags |= StreamError;
        return 0;
    }
    return __stdio_write(stream, buffer, size * count) / size;
}

int fputc(int byte, FILE* stream)
{
    unsigned char value = (unsigned char)byte;
    return __stdio_write(stream, &value, 1) == 1 ? value : EOF;
}

int putc(int byte, FILE* stream)
{
    return fputc(byte, stream);
}

int putchar(int byte)
{
    return fputc(byte, stdout);
}

int fputs(const char* restrict string, FILE* restrict stream)
{
    size_t length = strlen(string);
    return __stdio_write(stream, (const unsigned char*)string, length) == length ? 1 : EOF;
}

int puts(const char* string)
{
    if (fputs(string, stdout) == EOF)
        return EOF;
    return fputc('\n', stdout) == EOF ? EOF : 1;
}

ssize_t getdelim(char** restrict line, size_t* restrict capacity, int delimiter, FILE* restrict stream)
{
    if (!line || !capacity) {
        errno = EINVAL;
        return -1;
    }
    size_t length = 0;
    for (;;) {
        // Take the pushed-back byte, or a run of buffered bytes up to the delimiter.
        const unsigned char* run;
        size_t run_length;
        unsigned char pushed;
        if (stream->pushback != EOF) {
            pushed = (unsigned char)stream->pushback;
            stream->pushback = EOF;
            run = &pushed;
            run_length = 1;
        } else {
            size_t available = stream->state == StreamReading ? stream->read_end - stream->read_position : 0;
            if (available == 0 && (available = __stdio_fill(stream)) == 0)
                break;
            run = stream->buffer + stream->read_position;
            const unsigned char* found = memchr(run, delimiter, available);
            run_length = found ? (size_t)(found - run) + 1 : available;
            stream->read_position += run_length;
        }
        if (length + run_length + 1 > *capacity) {
            size_t new_capacity = *capacity ? *capacity : 128;
            while (new_capacity < length + run_length + 1)
                new_capacity *= 2;
            char* grown = realloc(*line, new_capacity);
            if (!grown) {
                stream->flags |= StreamError;
                return -1;
            }
            *line = grown;
            *capacity = new_capacity;
        }
        memcpy(*line + length, run, run_length);
        length += run_length;
        if (run[run_length - 1] == (unsigned char)delimiter)
            break;
    }
    if (length == 0)
        return -1;
    (*line)[length] = '\0';
    return (ssize_t)length;
}

ssize_t getline(char** restrict line, size_t* restrict capacity, FILE* restrict stream)
{
    return getdelim(line, capacity, '\n', stream);
}

char* fgets(char* restrict buffer, int size, FILE* restrict stream)
{
    if (size <= 0)
        return NULL;
    int length = 0;
    while (length < size - 1) {
        int byte = fgetc(stream);
        if (byte == EOF)
            break;
        buffer[length++] = (char)byte;
        if (byte == '\n')
            break;
    }
    if (length == 0)
        return NULL;
    buffer[length] = '\0';
    return buffer;
}

int fseeko(FILE* stream, off_t offset, int whence)
{
    if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) {
        errno = EINVAL;
        return -1;
    }
    if (__stdio_to_idle(stream) == EOF)
        return -1;
    if (lseek(stream->fd, offset, whence) < 0)
        return -1;
    stream->flags &= ~StreamEof;
    return 0;
}

int fseek(FILE* stream, long offset, int whence)
{
    return fseeko(stream, offset, whence);
}

off_t ftello(FILE* stream)
{
    off_t position = lseek(stream->fd, 0, SEEK_CUR);
    if (position < 0)
        return -1;
    if (stream->state == StreamWriting)
        return position + (off_t)stream->write_length;
    if (stream->state == StreamReading)
        return position - (off_t)(stream->read_end - stream->read_position) - (stream->pushback != EOF);
    return position;
}

long ftell(FILE* stream)
{
    return ftello(stream);
}

void rewind(FILE* stream)
{
    fseeko(stream, 0, SEEK_SET);
    stream->flags &= ~StreamError;
}
