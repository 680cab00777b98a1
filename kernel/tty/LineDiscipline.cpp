// The line discipline (see LineDiscipline.h for the rules it follows).
#include <kernel/tty/LineDiscipline.h>

namespace tty {

namespace {

constexpr u8 NEWLINE = '\n';
constexpr u8 CARRIAGE_RETURN = '\r';
constexpr u8 DISABLED = 0; // _POSIX_VDISABLE as Linux spells it
constexpr u64 DECISECOND_NS = 100'000'000;

SignalSink s_signal_sink = nullptr;
u64 s_dropped_signals = 0;

bool is_control(u8 byte)
{
    return byte < 0x20 || byte == 0x7f;
}

} // namespace

KernelTermios default_termios()
{
    KernelTermios termios {};
    termios.c_iflag = iflag::INPUT_CR_TO_LF | iflag::FLOW_CONTROL;
    termios.c_oflag = oflag::POST_PROCESS | oflag::OUTPUT_LF_TO_CRLF;
    termios.c_cflag = cflag::BAUD_38400 | cflag::SIZE_8 | cflag::ENABLE_READ;
    termios.c_lflag = lflag::SIGNALS | lflag::CANONICAL | lflag::ECHO_INPUT | lflag::ECHO_ERASE | lflag::ECHO_KILL
        | lflag::ECHO_CONTROL | lflag::ECHO_KILL_ERASE | lflag::EXTENSIONS;
    // INIT_C_CC (include/linux/tty.h).
    const u8 init[CONTROL_CHARACTER_COUNT]
        = { 003, 034, 0177, 025, 004, 0, 1, 0, 021, 023, 032, 0, 022, 017, 027, 026, 0, 0, 0 };
    for (usize i = 0; i < CONTROL_CHARACTER_COUNT; ++i)
        termios.c_cc[i] = init[i];
    return termios;
}

void set_signal_sink(SignalSink sink)
{
    __atomic_store_n(&s_signal_sink, sink, __ATOMIC_RELEASE);
}

SignalSink signal_sink()
{
    return __atomic_load_n(&s_signal_sink, __ATOMIC_ACQUIRE);
}

void send_terminal_signal(int process_group, int signal)
{
    SignalSink sink = __atomic_load_n(&s_signal_sink, __ATOMIC_ACQUIRE);
    if (sink)
        sink(process_group, signal);
    else
        __atomic_fetch_add(&s_dropped_signals, 1, __ATOMIC_RELAXED);
}

u64 dropped_terminal_signals()
{
    return __atomic_load_n(&s_dropped_signals, __ATOMIC_RELAXED);
}

LineDiscipline::LineDiscipline(Output& output)
    : m_output(output)
    , m_termios(default_termios())
{
}

void LineDiscipline::set_termios(const KernelTermios& termios, bool flush)
{
    bool was_canonical = canonical();
    m_termios = termios;
    if (flush)
        flush_input();
    if (was_canonical && !canonical()) {
        // Everything typed becomes readable as plain bytes.
        m_committed = m_length;
        m_line_count = 0;
    } else if (!was_canonical && canonical()) {
        // Raw bytes not yet read become the start of the line being edited.
        m_committed = 0;
        m_line_count = 0;
    }
}

void LineDiscipline::flush_input()
{
    m_length = 0;
    m_committed = 0;
    m_line_count = 0;
}

void LineDiscipline::emit(u8 byte)
{
    if ((m_termios.c_oflag & oflag::POST_PROCESS) && (m_termios.c_oflag & oflag::OUTPUT_LF_TO_CRLF)
        && byte == NEWLINE) {
        const u8 crlf[2] = { CARRIAGE_RETURN, NEWLINE };
        m_output.write_output({ crlf, 2 });
        return;
    }
    m_output.write_output({ &byte, 1 });
}

void LineDiscipline::echo(u8 byte)
{
    if (is_control(byte) && byte != '\t' && byte != NEWLINE && is_set(lflag::ECHO_CONTROL)) {
        const u8 caret[2] = { '^', static_cast<u8>(byte ^ 0x40) };
        m_output.write_output({ caret, 2 });
        return;
    }
    emit(byte);
}

void LineDiscipline::echo_erase_of(u8 byte)
{
    static constexpr u8 ERASE[3] = { '\b', ' ', '\b' };
    usize columns = (is_control(byte) && byte != '\t' && is_set(lflag::ECHO_CONTROL)) ? 2 : 1;
    for (usize i = 0; i < columns; ++i)
        m_output.write_output({ ERASE, 3 });
}

void LineDiscipline::erase_last()
{
    if (m_length == m_committed)
        return;
    u8 byte = m_buffer[--m_length];
    if (is_set(lflag::ECHO_INPUT) && is_set(lflag::ECHO_ERASE))
        echo_erase_of(byte);
    else if (is_set(lflag::ECHO_INPUT))
        echo(m_termios.c_cc[cc::ERASE]);
}

void LineDiscipline::commit_line()
{
    m_committed = m_length;
    m_line_ends[m_line_count++] = m_length;
}

void LineDiscipline::append(u8 byte)
{
    m_buffer[m_length++] = byte;
}

int LineDiscipline::receive(u8 byte, u64 now_ns)
{
    const u8* c = m_termios.c_cc;
    if (is_set(lflag::SIGNALS) && byte != DISABLED) {
        int signal = 0;
        if (byte == c[cc::INTERRUPT])
            signal = SIGNAL_INTERRUPT;
        else if (byte == c[cc::QUIT])
            signal = SIGNAL_QUIT;
        else if (byte == c[cc::SUSPEND])
            signal = SIGNAL_STOP;
        if (signal) {
            if (!is_set(lflag::NO_FLUSH))
                flush_input();
            if (is_set(lflag::ECHO_INPUT))
                echo(byte);
            return signal;
        }
    }
    if (byte == CARRIAGE_RETURN) {
        if (m_termios.c_iflag & iflag::IGNORE_CR)
            return 0;
        if (m_termios.c_iflag & iflag::INPUT_CR_TO_LF)
            byte = NEWLINE;
    } else if (byte == NEWLINE && (m_termios.c_iflag & iflag::INPUT_LF_TO_CR)) {
        byte = CARRIAGE_RETURN;
    }

    if (!canonical()) {
        if (m_length == BUFFER_SIZE)
            return 0; // full: dropped, as n_tty does
        append(byte);
        m_committed = m_length;
        m_last_input_ns = now_ns;
        if (is_set(lflag::ECHO_INPUT))
            echo(byte);
        return 0;
    }

    if (byte != DISABLED && byte == c[cc::ERASE]) {
        erase_last();
        return 0;
    }
    if (byte != DISABLED && byte == c[cc::WORD_ERASE] && is_set(lflag::EXTENSIONS)) {
        // VWERASE: the blanks before the cursor, then the word before them.
        while (m_length > m_committed && (m_buffer[m_length - 1] == ' ' || m_buffer[m_length - 1] == '\t'))
            erase_last();
        while (m_length > m_committed && m_buffer[m_length - 1] != ' ' && m_buffer[m_length - 1] != '\t')
            erase_last();
        return 0;
    }
    if (byte != DISABLED && byte == c[cc::KILL]) {
        if (is_set(lflag::ECHO_INPUT) && !is_set(lflag::ECHO_KILL_ERASE) && is_set(lflag::ECHO_KILL)) {
            m_length = m_committed;
            echo(byte);
            emit(NEWLINE);
            return 0;
        }
        while (m_length > m_committed)
            erase_last();
        return 0;
    }
    bool pending_full = m_line_count == MAX_PENDING_LINES;
    if (byte != DISABLED && byte == c[cc::END_OF_FILE]) {
        if (!pending_full)
            commit_line(); // the EOF character itself is not stored
        return 0;
    }
    bool delimiter
        = byte == NEWLINE || (byte != DISABLED && (byte == c[cc::END_OF_LINE] || byte == c[cc::END_OF_LINE_2]));
    // Keep the last byte of room for a delimiter, so a full line can end.
    if (pending_full || m_length == BUFFER_SIZE || (!delimiter && m_length == BUFFER_SIZE - 1))
        return 0;
    append(byte);
    if (is_set(lflag::ECHO_INPUT) || (delimiter && byte == NEWLINE && is_set(lflag::ECHO_NEWLINE)))
        echo(byte);
    if (delimiter)
        commit_line();
    return 0;
}

void LineDiscipline::consume(usize count)
{
    __builtin_memmove(m_buffer, m_buffer + count, m_length - count);
    m_length -= count;
    m_committed -= count;
    for (usize i = 0; i < m_line_count; ++i)
        m_line_ends[i] -= count;
}

LineDiscipline::ReadOutcome LineDiscipline::read(Bytes buffer, u64 start_ns, u64 now_ns)
{
    if (canonical()) {
        if (m_line_count == 0)
            return { ReadOutcome::Kind::WaitForInput, 0, 0 };
        usize line = m_line_ends[0];
        usize count = buffer.size() < line ? buffer.size() : line;
        __builtin_memcpy(buffer.data(), m_buffer, count);
        bool whole_line = count == line;
        consume(count);
        if (whole_line) {
            --m_line_count;
            for (usize i = 0; i < m_line_count; ++i)
                m_line_ends[i] = m_line_ends[i + 1];
        }
        return { ReadOutcome::Kind::Data, count, 0 };
    }

    // Non-canonical: POSIX XBD 11.1.7 "Non-Canonical Mode Input Processing".
    usize minimum = m_termios.c_cc[cc::MINIMUM];
    u64 time = m_termios.c_cc[cc::TIME] * DECISECOND_NS;
    usize available = m_committed;
    usize target = minimum < buffer.size() ? minimum : buffer.size();
    bool ready;
    u64 deadline = 0;
    if (minimum == 0 && time == 0) {
        ready = true; // polling read
    } else if (time == 0) {
        ready = available >= target; // MIN > 0, TIME = 0: wait for MIN bytes
    } else if (minimum == 0) {
        deadline = start_ns + time; // TIME is a read timer
        ready = available > 0 || now_ns >= deadline;
    } else {
        // MIN > 0, TIME > 0: TIME is an inter-byte timer, started by the first byte.
        if (available == 0)
            return { ReadOutcome::Kind::WaitForInput, 0, 0 };
        deadline = m_last_input_ns + time;
        ready = available >= target || now_ns >= deadline;
    }
    if (!ready) {
        if (deadline)
            return { ReadOutcome::Kind::WaitUntil, 0, deadline };
        return { ReadOutcome::Kind::WaitForInput, 0, 0 };
    }
    usize count = buffer.size() < available ? buffer.size() : available;
    __builtin_memcpy(buffer.data(), m_buffer, count);
    consume(count);
    return { ReadOutcome::Kind::Data, count, 0 };
}

void LineDiscipline::write(ReadonlyBytes data)
{
    if (!(m_termios.c_oflag & oflag::POST_PROCESS) || !(m_termios.c_oflag & oflag::OUTPUT_LF_TO_CRLF)) {
        m_output.write_output(data);
        return;
    }
    // Runs of bytes without '\n' go out as they are.
    usize start = 0;
    for (usize i = 0; i < data.size(); ++i) {
        if (data[i] != NEWLINE)
            continue;
        if (i > start)
            m_output.write_output(data.slice(start, i - start));
        emit(NEWLINE);
        start = i + 1;
    }
    if (start < data.size())
        m_output.write_output(data.slice(start));
}

usize LineDiscipline::readable_bytes() const
{
    return m_committed;
}

} // namespace tty
