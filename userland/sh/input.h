#pragma once

// Where the shell's commands come from: the line editor on a terminal, or
// lines of a file descriptor (a script, or stdin that is not a terminal).
// Standard input is read one byte at a time, so that a command run by the
// shell finds the rest of the input still unread; other files (scripts the
// shell opened itself, close-on-exec) are read through a buffer.

#include "line_editor.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    int fd;
    bool use_editor;
    bool unbuffered;
    char buffer[4096];
    size_t start;
    size_t end;
} Input;

void input_init(Input* input, int fd, bool use_editor);
// Reads one line without its newline (caller frees); the prompt is shown
// only by the editor.
LineResult input_read_line(Input* input, const char* prompt, char** line);
