#pragma once

// The interactive line editor. It puts the terminal in raw mode (no ICANON,
// ECHO, ISIG, IXON, ICRNL) for the duration of one read and restores the
// previous modes before returning. Keys:
//   printable      insert at the cursor
//   Left/Right, Ctrl-B/Ctrl-F, Home/End, Ctrl-A/Ctrl-E   move
//   Backspace, Delete, Ctrl-D (not at an empty line)    delete
//   Ctrl-K / Ctrl-U / Ctrl-W  kill to end / to start / the word before
//   Up/Down, Ctrl-P/Ctrl-N    history
//   Tab                       complete a command or a path (completion.h)
//   Ctrl-L                    clear the screen
//   Ctrl-C                    abandon the line (prints ^C)
//   Ctrl-D at an empty line   end of input
//   Enter                     accept
// If the terminal modes cannot be read, it falls back to reading a line.
// Lines longer than the terminal is wide are edited correctly but redrawn
// only on their last screen row.

typedef enum {
    LineRead,
    LineEndOfInput,
    LineInterrupted,
} LineResult;

// Reads one line (without its newline) into *line (caller frees).
LineResult line_editor_read(int fd, const char* prompt, char** line);
