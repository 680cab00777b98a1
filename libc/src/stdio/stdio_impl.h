#pragma once

// The FILE object. One buffer serves either reading or writing at a time:
//   - Reading: bytes [read_position, read_end) are input not yet consumed;
//   - Writing: bytes [0, write_length) are output not yet sent;
//   - Idle: the buffer holds nothing and the fd offset is the stream's offset.
// Switching direction first flushes pending output or gives back unread input
// (lseek backwards), so the descriptor's offset always matches what the
// program has consumed. One pushed-back byte (ungetc) sits in `pushback`.
// Every open stream is on a list so that fflush(NULL) and exit() reach it.

#include <stddef.h>
#include <stdio.h>

enum StreamState { StreamIdle, StreamReading, StreamWriting };

enum StreamFlag {
    StreamCanRead = 1 << 0,
    StreamCanWrite = 1 << 1,
    StreamEof = 1 << 2,
    StreamError = 1 << 3,
    StreamOwnsBuffer = 1 << 4, // buffer came from malloc
    StreamStatic = 1 << 5,     // stdin/stdout/stderr: never freed
};

#define STREAM_MODE_UNDECIDED (-1)

struct OspreyFile {
    int fd;
    int flags;
    int mode; // _IOFBF, _IOLBF, _IONBF or STREAM_MODE_UNDECIDED
    enum StreamState state;
    unsigned char* buffer;
    size_t capacity;
    size_t read_position;
    size_t read_end;
    size_t write_length;
    int pushback;              // EOF when empty
    unsigned char single_byte; // the buffer of an unbuffered stream
    struct OspreyFile* next;
};

// Makes sure the stream has a buffer and a decided mode.
void __stdio_prepare(FILE* stream);
// Sends pending output; 0 or EOF with the error flag set.
int __stdio_flush_output(FILE* stream);
// Ends the current direction (flush or give back unread input); 0 or EOF.
int __stdio_to_idle(FILE* stream);
// Refills an empty read buffer; returns the bytes now available, 0 at end of
// file or on error (flags set).
size_t __stdio_fill(FILE* stream);
// Writes bytes through the buffer; returns the count accepted.
size_t __stdio_write(FILE* stream, const unsigned char* bytes, size_t length);
// Flushes every line-buffered output stream (before reading a terminal).
void __stdio_flush_line_buffered(void);
void __stdio_link(FILE* stream);
void __stdio_unlink(FILE* stream);
int __stdio_parse_mode(const char* mode, int* open_flags);
