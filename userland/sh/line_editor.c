// The line editor (see line_editor.h).
//
// Input comes from the terminal fd, output goes to stderr (as bash does).
// The screen is kept in step with the buffer by relative moves only: after
// every change the editor moves from the old cursor column back to the start
// of the text, rewrites the text, clears to the end of the line (ESC [ K)
// and moves back to the new cursor (ESC [ n D). The prompt is written once.
// Output of one step is collected and written in one call.

#include "line_editor.h"
#include "completion.h"
#include "history.h"
#include "keys.h"
#include "util.h"
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#define CONTROL(key) ((key)&0x1f)

typedef struct {
    int fd;
    const char* prompt;
    StringBuffer text;
    size_t cursor;
    size_t shown_cursor;  // where the terminal's cursor is, in text columns
    size_t history_index; // == history_count() while editing the new line
    char* new_line;       // the new line, saved while browsing history
    StringBuffer output;
    bool last_was_tab;
    const char* newline; // "\n" when the terminal maps NL to CR-NL (OPOST|ONLCR), else "\r\n"
} Editor;

static void flush_output(Editor* editor)
{
    size_t done = 0;
    while (done < editor->output.length) {
        ssize_t count = write(STDERR_FILENO, editor->output.data + done, editor->output.length - done);
        if (count < 0 && errno == EINTR)
            continue;
        if (count <= 0)
            break;
        done += (size_t)count;
    }
    sb_clear(&editor->output);
}

static void emit_move_left(Editor* editor, size_t columns)
{
    if (columns == 0)
        return;
    char sequence[32];
    snprintf(sequence, sizeof(sequence), "\x1b[%zuD", columns);
    sb_append(&editor->output, sequence);
}

static void refresh(Editor* editor)
{
    emit_move_left(editor, editor->shown_cursor);
    sb_append_n(&editor->output, editor->text.data ? editor->text.data : "", editor->text.length);
    sb_append(&editor->output, "\x1b[K");
    emit_move_left(editor, editor->text.length - editor->cursor);
    editor->shown_cursor = editor->cursor;
    flush_output(editor);
}

static void set_text(Editor* editor, const char* text)
{
    sb_clear(&editor->text);
    sb_append(&editor->text, text);
    editor->cursor = editor->text.length;
}

static void insert(Editor* editor, const char* text, size_t length)
{
    StringBuffer* buffer = &editor->text;
    for (size_t i = 0; i < length; ++i)
        sb_append_char(buffer, ' ');
    memmove(buffer->data + editor->cursor + length, buffer->data + editor->cursor,
        buffer->length - length - editor->cursor);
    memcpy(buffer->data + editor->cursor, text, length);
    editor->cursor += length;
}

static void erase(Editor* editor, size_t from, size_t to)
{
    StringBuffer* buffer = &editor->text;
    memmove(buffer->data + from, buffer->data + to, buffer->length - to + 1);
    buffer->length -= to - from;
    if (editor->cursor > to)
        editor->cursor -= to - from;
    else if (editor->cursor > from)
        editor->cursor = from;
}

static void browse_history(Editor* editor, int direction)
{
    size_t count = history_count();
    if (direction < 0 && editor->history_index == 0)
        return;
    if (direction > 0 && editor->history_index >= count)
        return;
    if (editor->history_index == count) {
        free(editor->new_line);
        editor->new_line = xstrndup(editor->text.data ? editor->text.data : "", editor->text.length);
    }
    editor->history_index += (size_t)direction;
    set_text(editor, editor->history_index == count ? editor->new_line : history_entry(editor->history_index));
}

static unsigned terminal_width(Editor* editor)
{
    struct winsize size;
    if (ioctl(editor->fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return size.ws_col;
    return 80;
}

// Prints the candidates in columns below the line, then the prompt and line again.
static void list_candidates(Editor* editor, const Completion* completion)
{
    size_t widest = 0;
    for (size_t i = 0; i < completion->candidates.count; ++i) {
        size_t length = strlen(completion->candidates.items[i]);
        widest = length > widest ? length : widest;
    }
    size_t column_width = widest + 2;
    size_t columns = terminal_width(editor) / column_width;
    if (columns == 0)
        columns = 1;
    size_t rows = (completion->candidates.count + columns - 1) / columns;
    sb_append(&editor->output, editor->newline);
    for (size_t row = 0; row < rows; ++row) {
        for (size_t column = 0; column < columns; ++column) {
            size_t index = column * rows + row;
            if (index >= completion->candidates.count)
                break;
            const char* name = completion->candidates.items[index];
            sb_append(&editor->output, name);
            if (column + 1 < columns && index + rows < completion->candidates.count) {
                for (size_t pad = strlen(name); pad < column_width; ++pad)
                    sb_append_char(&editor->output, ' ');
            }
        }
        sb_append(&editor->output, editor->newline);
    }
    sb_append(&editor->output, editor->prompt);
    editor->shown_cursor = 0;
}

static void complete(Editor* editor)
{
    Completion completion;
    completion_find(editor->text.data ? editor->text.data : "", editor->cursor, &completion);
    size_t typed_length = editor->cursor - completion.word_start;
    if (completion.candidates.count == 0) {
        sb_append_char(&editor->output, '\a');
    } else if (completion.candidates.count == 1) {
        const char* candidate = completion.candidates.items[0];
        erase(editor, completion.word_start, editor->cursor);
        insert(editor, candidate, strlen(candidate));
        if (candidate[strlen(candidate) - 1] != '/')
            insert(editor, " ", 1);
    } else {
        char* prefix = completion_common_prefix(&completion);
        if (strlen(prefix) > typed_length) {
            erase(editor, completion.word_start, editor->cursor);
            insert(editor, prefix, strlen(prefix));
        } else if (editor->last_was_tab || completion.candidates.count <= 100) {
            list_candidates(editor, &completion);
        } else {
            sb_append_char(&editor->output, '\a');
        }
        free(prefix);
    }
    completion_free(&completion);
    refresh(editor);
}

typedef enum {
    KeyContinue,
    KeyAccept,
    KeyEndOfInput,
    KeyInterrupt,
} KeyResult;

static KeyResult handle_key(Editor* editor, unsigned char key)
{
    bool was_tab = editor->last_was_tab;
    editor->last_was_tab = false;
    size_t length = editor->text.length;
    switch (key) {
    case '\r':
    case '\n':
        return KeyAccept;
    case CONTROL('C'):
        return KeyInterrupt;
    case CONTROL('D'):
        if (length == 0)
            return KeyEndOfInput;
        if (editor->cursor < length)
            erase(editor, editor->cursor, editor->cursor + 1);
        break;
    case 0x7f:
    case CONTROL('H'):
        if (editor->cursor > 0)
            erase(editor, editor->cursor - 1, editor->cursor);
        break;
    case CONTROL('A'):
        editor->cursor = 0;
        break;
    case CONTROL('E'):
        editor->cursor = length;
        break;
    case CONTROL('B'):
        editor->cursor -= editor->cursor > 0;
        break;
    case CONTROL('F'):
        editor->cursor += editor->cursor < length;
        break;
    case CONTROL('K'):
        erase(editor, editor->cursor, length);
        break;
    case CONTROL('U'):
        erase(editor, 0, editor->cursor);
        break;
    case CONTROL('W'): {
        size_t start = editor->cursor;
        while (start > 0 && editor->text.data[start - 1] == ' ')
            --start;
        while (start > 0 && editor->text.data[start - 1] != ' ')
            --start;
        erase(editor, start, editor->cursor);
        break;
    }
    case CONTROL('P'):
        browse_history(editor, -1);
        break;
    case CONTROL('N'):
        browse_history(editor, 1);
        break;
    case CONTROL('L'):
        sb_append(&editor->output, "\x1b[H\x1b[2J");
        sb_append(&editor->output, editor->prompt);
        editor->shown_cursor = 0;
        break;
    case '\t':
        editor->last_was_tab = was_tab;
        complete(editor);
        editor->last_was_tab = true;
        return KeyContinue;
    case 0x1b:
        switch (key_read_escape(editor->fd)) {
        case 'A':
            browse_history(editor, -1);
            break;
        case 'B':
            browse_history(editor, 1);
            break;
        case 'C':
            editor->cursor += editor->cursor < length;
            break;
        case 'D':
            editor->cursor -= editor->cursor > 0;
            break;
        case 'H':
            editor->cursor = 0;
            break;
        case 'F':
            editor->cursor = length;
            break;
        case 'X':
            if (editor->cursor < length)
                erase(editor, editor->cursor, editor->cursor + 1);
            break;
        default:
            break;
        }
        break;
    default:
        if (key >= 0x20) {
            char character = (char)key;
            bool at_end = editor->cursor == length && editor->shown_cursor == length;
            insert(editor, &character, 1);
            if (at_end) {
                // Typing at the end of the line: echo the character only.
                sb_append_char(&editor->output, character);
                editor->shown_cursor = editor->cursor;
                flush_output(editor);
                return KeyContinue;
            }
        }
        break;
    }
    refresh(editor);
    return KeyContinue;
}

static LineResult read_plain_line(int fd, char** line)
{
    StringBuffer buffer = { 0 };
    unsigned char byte;
    bool any = false;
    while (key_read_byte(fd, &byte)) {
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

LineResult line_editor_read(int fd, const char* prompt, char** line)
{
    struct termios original;
    if (tcgetattr(fd, &original) < 0)
        return read_plain_line(fd, line);
    struct termios raw = original;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
    raw.c_iflag &= ~(tcflag_t)(IXON | ICRNL | INLCR | IGNCR);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    tcsetattr(fd, TCSADRAIN, &raw);

    Editor editor = { .fd = fd, .prompt = prompt, .history_index = history_count() };
    bool maps_newline = (original.c_oflag & OPOST) && (original.c_oflag & ONLCR);
    editor.newline = maps_newline ? "\n" : "\r\n";
    sb_append(&editor.output, prompt);
    flush_output(&editor);
    KeyResult result = KeyContinue;
    unsigned char key;
    while (result == KeyContinue) {
        if (!key_read_byte(fd, &key)) {
            result = KeyEndOfInput;
            break;
        }
        result = handle_key(&editor, key);
    }
    // Leave the cursor after the text, on a new line.
    editor.cursor = editor.text.length;
    refresh(&editor);
    if (result == KeyInterrupt)
        sb_append(&editor.output, "^C");
    sb_append(&editor.output, editor.newline);
    flush_output(&editor);
    tcsetattr(fd, TCSADRAIN, &original);

    *line = sb_take(&editor.text);
    free(editor.new_line);
    sb_free(&editor.output);
    if (result == KeyInterrupt)
        return LineInterrupted;
    if (result == KeyEndOfInput) {
        free(*line);
        *line = NULL;
        return LineEndOfInput;
    }
    return LineRead;
}
