#pragma once

// The terminal line discipline (Linux's N_TTY, drivers/tty/n_tty.c, and
// POSIX "General Terminal Interface", XBD chapter 11), without hardware:
// bytes typed arrive through receive(), bytes the program writes go out
// through write(), and both may produce output (echo, output processing)
// through the Output interface given at construction.
//
// Input, in order: ISIG characters (VINTR, VQUIT, VSUSP) raise a signal for
// the foreground process group (returned to the caller, which sends it
// after dropping its locks: see send_terminal_signal) and flush the input
// unless NOFLSH; then IGNCR/ICRNL/INLCR; then, in canonical mode (ICANON),
// line editing: VERASE removes the last character of the line being edited,
// VKILL the whole line, VWERASE (with IEXTEN) the last word, '\n', VEOL and VEOL2 end the line and make it
// readable, VEOF makes the line readable without a delimiter (at the start
// of a line, a read then returns 0: end of file). In non-canonical mode
// bytes are readable at once and reads follow VMIN/VTIME (read()). The
// buffer holds BUFFER_SIZE bytes and MAX_PENDING_LINES unread lines; input
// beyond that is dropped (a line may always be ended) until a read frees room.
//
// Echo (ECHO): printable bytes as they are; control characters as ^X with
// ECHOCTL (except tab and newline); erase as "\b \b" with ECHOE (twice for
// a ^X echo); kill as one erase per character with ECHOKE, or the kill
// character and a newline with ECHOK. Output processing (OPOST|ONLCR) turns
// '\n' into "\r\n" in echo and in written data.
//
// Time: read() takes the current monotonic time and the time the read
// started, and answers when to wake, so the host tests drive VTIME with a
// scripted clock.
//
// Not thread-safe: the Tty (Tty.h) serializes every call with its lock.
#include <kernel/lib/Span.h>
#include <kernel/tty/Termios.h>

namespace tty {

class LineDiscipline {
public:
    static constexpr usize BUFFER_SIZE = 4096; // N_TTY_BUF_SIZE
    static constexpr usize MAX_PENDING_LINES = 64;

    class Output {
    public:
        virtual void write_output(ReadonlyBytes bytes) = 0;

    protected:
        ~Output() = default;
    };

    struct ReadOutcome {
        enum class Kind : u8 {
            Data,         // `count` bytes were copied (0 = end of file, or VMIN=0 with nothing)
            WaitForInput, // block until input arrives
            WaitUntil,    // block until input arrives or the clock reaches `deadline_ns`
        };
        Kind kind;
        usize count;
        u64 deadline_ns;
    };

    explicit LineDiscipline(Output& output);

    const KernelTermios& termios() const { return m_termios; }
    // TCSETS; TCSETSF also flushes pending input (`flush_input`). Leaving
    // canonical mode makes the line being edited readable.
    void set_termios(const KernelTermios& termios, bool flush_input);
    const WindowSize& window_size() const { return m_window_size; }
    void set_window_size(const WindowSize& size) { m_window_size = size; }
    int foreground_group() const { return m_foreground_group; }
    void set_foreground_group(int group) { m_foreground_group = group; }

    // One input byte at time `now_ns`; returns the signal to raise (0 if none).
    int receive(u8 byte, u64 now_ns);
    // Copies readable input as the mode allows, or says how to wait.
    ReadOutcome read(Bytes buffer, u64 start_ns, u64 now_ns);
    // Output processing of program output; all of `data` is taken.
    void write(ReadonlyBytes data);
    // FIONREAD: bytes a read could return now.
    usize readable_bytes() const;
    // Whether a read would return now without waiting for input (a line,
    // possibly an empty end-of-file one, or raw bytes).
    bool can_read() const { return canonical() ? m_line_count > 0 : m_committed > 0; }
    bool canonical() const { return m_termios.c_lflag & lflag::CANONICAL; }
    void flush_input();

private:
    bool is_set(u32 flag) const { return m_termios.c_lflag & flag; }
    void emit(u8 byte);
    void echo(u8 byte);
    void echo_erase_of(u8 byte);
    void erase_last();
    void commit_line();
    void append(u8 byte);
    void consume(usize count);

    Output& m_output;
    KernelTermios m_termios;
    WindowSize m_window_size { 25, 80, 0, 0 };
    int m_foreground_group { 0 };

    // Input: bytes [0, m_committed) are readable; [m_committed, m_length)
    // is the line being edited (canonical mode). m_line_ends holds the end
    // offset of each readable canonical line (after its delimiter, if any).
    u8 m_buffer[BUFFER_SIZE];
    usize m_length { 0 };
    usize m_committed { 0 };
    usize m_line_ends[MAX_PENDING_LINES];
    usize m_line_count { 0 };
    u64 m_last_input_ns { 0 };
};

// Where terminal signals go: the signal code installs a sink (pgid, signal);
// until then they are counted and dropped. The console terminal calls it
// from the input interrupt, so the sink must not block. A process group of
// 0 means none has been set (TIOCSPGRP).
using SignalSink = void (*)(int process_group, int signal);
void set_signal_sink(SignalSink sink);
SignalSink signal_sink();
void send_terminal_signal(int process_group, int signal);
u64 dropped_terminal_signals();

} // namespace tty
