// Line input for the shell's read loop (see input.h).

#include "input.h"
#include "util.h"
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

void input_init(Input* input, int fd, bool use_editor)
{
    input->fd = fd;
    input->use_editor = use_editor;
    input->unbuffered = fd == STDIN_FILENO;
    input->start = 0;
    input->end = 0;
}

// Returns the next byte, or -1 at the end of input (or on an error).
static int next_byte(Input* input)
{
    if (input->start == input->end) {
        size_t capacity = input->unbuffered ? 1 : sizeof(input->buffer);
        ssize_t count;
        do {
            count = read(input->fd, input->buffer, capacity);
        } while (count < 0 && errno == EINTR);
        if (count <= 0)
            return -1;
        input->start = 0;
        input->end = (size_t)count;
    }
    return (unsigned char)input->buffer[input->start++];
}

LineResult input_read_line(Input* input, const char* prompt, char** line)
{
    if (input->use_editor)
        return line_editor_read(input->fd, prompt, line);
    StringBuffer buffer = { 0 };
    int byte;
    bool any = false;
    while ((byte = next_byte(input)) >= 0) {
        any = true;
        if (byte == '\n')
            break;
        sb_append_char(&buffer, (char)byte);
    }
    *line = sb_take(&buffer);
    if (any)
        return LineRead;
    free(*line);
    *line = NULL;
    return LineEndOfInput;
}
