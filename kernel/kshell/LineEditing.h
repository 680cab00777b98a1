#pragma once

// The editing logic of the kshell line editor, apart from any device: a line
// buffer with a cursor, a history ring, and a decoder for the keys a VT100
// terminal sends. It is fed one input byte at a time and writes what the
// screen must do to a FormatSink, using only printable text, BEL, CR/LF and
// three ANSI sequences (ECMA-48 §8.3.86 CUB `ESC [ n D`, §8.3.20 CUF
// `ESC [ n C`, §8.3.41 EL `ESC [ K`), which both the serial terminal and the
// VGA text console understand. The PS/2 driver translates its keys into the
// same byte sequences, so there is one input language.
//
// Keys: printable ASCII inserts at the cursor; Backspace (DEL or ^H) and
// Delete (`ESC [ 3 ~`, or ^D on a non-empty line) remove; Left/Right (^B/^F),
// Home/End (^A/^E, `ESC [ H`/`F`, `ESC [ 1~`/`4~`/`7~`/`8~`), Up/Down (^P/^N)
// walk the history, with the line being typed kept as a draft at its bottom;
// ^U clears the line, ^K cuts to its end, ^C abandons it, CR or LF submits
// (an LF right after a CR is swallowed, so CRLF terminals submit once).
// Cursor keys arrive as CSI (`ESC [`) or SS3 (`ESC O`) sequences, possibly
// split across calls. Input that would overflow the line is refused with BEL.
//
// Invariants: m_cursor <= m_length <= MAX_LINE; the screen shows m_buffer[0,
// m_length) after the prompt with the terminal cursor at m_cursor, provided
// the prompt plus the line fit on one screen row. No allocation; the object
// is plain data (about 9 KiB, so keep it out of small stacks) and is not locked: one reader owns it.
#include <kernel/lib/Format.h>

namespace kshell {

class LineEditing {
public:
    static constexpr usize MAX_LINE = 256;    // characters in a line
    static constexpr usize HISTORY_SIZE = 32; // entries kept, oldest dropped first

    enum class Result {
        Editing,   // keep feeding
        Submitted, // line() holds the entered line; it went into the history
        Cancelled, // ^C: line() is empty
    };

    constexpr LineEditing() = default;

    // Starts a new, empty line (the caller has printed the prompt).
    void begin_line();

    // Processes one input byte, writing any screen update to `echo`.
    Result feed(char c, FormatSink& echo);

    StringView line() const { return { m_buffer, m_length }; }
    usize cursor() const { return m_cursor; }

    usize history_count() const { return m_history_count; }
    // The history entry `age` steps back (0 = most recent), or an empty view.
    StringView history_entry(usize age) const;

private:
    enum class EscapeState : u8 {
        None,
        Escape, // got ESC
        Csi,    // got ESC [, collecting parameters
        Ss3,    // got ESC O
    };

    struct Entry {
        char text[MAX_LINE];
        usize length;
    };

    Result feed_control(char c, FormatSink& echo);
    // Advances the escape decoder; false if `c` is not part of a sequence.
    bool feed_escape(char c, FormatSink& echo);
    void dispatch_csi(char final_byte, FormatSink& echo);

    void insert(char c, FormatSink& echo);
    void erase_before_cursor(FormatSink& echo);
    void erase_at_cursor(FormatSink& echo);
    void move_left(usize count, FormatSink& echo);
    void move_right(usize count, FormatSink& echo);
    void cut_to_end(FormatSink& echo);
    void clear_line(FormatSink& echo);
    void replace_line(StringView text, FormatSink& echo);
    void history_older(FormatSink& echo);
    void history_newer(FormatSink& echo);
    void add_to_history();

    char m_buffer[MAX_LINE] {};
    usize m_length { 0 };
    usize m_cursor { 0 };

    EscapeState m_escape { EscapeState::None };
    u32 m_csi_parameter { 0 };
    u8 m_csi_bytes { 0 };
    bool m_csi_separator { false };
    bool m_swallow_line_feed { false };

    Entry m_history[HISTORY_SIZE] {};
    usize m_history_newest { 0 }; // slot of the most recent entry
    usize m_history_count { 0 };
    usize m_browse { 0 }; // 0: editing the draft; n: showing entry n-1 steps back
    Entry m_draft {};     // the line being typed, kept while browsing
};

} // namespace kshell
