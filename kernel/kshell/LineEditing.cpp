// The line-editing state machine; see LineEditing.h for the keys and the
// screen language. Every edit changes the buffer first and then redraws only
// what moved: from the edit point to the end of the line, an erase-to-end,
// and a cursor move back to where the cursor belongs.
#include <kernel/kshell/LineEditing.h>

namespace kshell {

namespace {

constexpr char ESC = 0x1b;
constexpr usize MAX_SEQUENCE_BYTES = 16; // a longer CSI sequence is garbage: drop it

constexpr char control(char letter)
{
    return static_cast<char>(letter & 0x1f);
}

void copy(char* destination, StringView source)
{
    for (usize i = 0; i < source.length(); ++i)
        destination[i] = source[i];
}

} // namespace

void LineEditing::begin_line()
{
    m_length = 0;
    m_cursor = 0;
    m_escape = EscapeState::None;
    m_browse = 0;
}

StringView LineEditing::history_entry(usize age) const
{
    if (age >= m_history_count)
        return {};
    const Entry& entry = m_history[(m_history_newest + HISTORY_SIZE - age) % HISTORY_SIZE];
    return { entry.text, entry.length };
}

LineEditing::Result LineEditing::feed(char c, FormatSink& echo)
{
    bool swallow_line_feed = m_swallow_line_feed;
    m_swallow_line_feed = false;

    // An ESC followed by a byte that starts no sequence, or a sequence cut
    // short by a control byte: the partial sequence is dropped and the byte
    // is taken as a key of its own.
    if (m_escape != EscapeState::None && feed_escape(c, echo))
        return Result::Editing;

    if (c == '\n' && swallow_line_feed)
        return Result::Editing;
    auto byte = static_cast<u8>(c);
    if (byte >= 0x20 && byte < 0x7f) {
        insert(c, echo);
        return Result::Editing;
    }
    return feed_control(c, echo);
}

LineEditing::Result LineEditing::feed_control(char c, FormatSink& echo)
{
    switch (c) {
    case '\r':
        m_swallow_line_feed = true;
        [[fallthrough]];
    case '\n':
        echo.write("\n");
        add_to_history();
        m_browse = 0;
        return Result::Submitted;
    case control('C'):
        echo.write("^C\n");
        m_length = 0;
        m_cursor = 0;
        m_browse = 0;
        return Result::Cancelled;
    case 0x7f:
    case control('H'):
        erase_before_cursor(echo);
        break;
    case control('D'):
        erase_at_cursor(echo);
        break;
    case control('A'):
        move_left(m_cursor, echo);
        break;
    case control('E'):
        move_right(m_length - m_cursor, echo);
        break;
    case control('B'):
        move_left(m_cursor ? 1 : 0, echo);
        break;
    case control('F'):
        move_right(m_cursor < m_length ? 1 : 0, echo);
        break;
    case control('P'):
        history_older(echo);
        break;
    case control('N'):
        history_newer(echo);
        break;
    case control('U'):
        clear_line(echo);
        break;
    case control('K'):
        cut_to_end(echo);
        break;
    case ESC:
        m_escape = EscapeState::Escape;
        break;
    default:
        break; // tab, other controls and non-ASCII bytes are ignored
    }
    return Result::Editing;
}

// ECMA-48 §5.4: a control sequence is CSI, parameter bytes 0x30-0x3f,
// intermediate bytes 0x20-0x2f, and one final byte 0x40-0x7e. SS3 (ESC O,
// §8.3.145) is followed by a single byte; VT100 cursor keys in application
// mode use it.
bool LineEditing::feed_escape(char c, FormatSink& echo)
{
    auto byte = static_cast<u8>(c);
    if (c == ESC) { // a new sequence replaces an unfinished one
        m_escape = EscapeState::Escape;
        return true;
    }
    if (byte < 0x20) {
        m_escape = EscapeState::None;
        return false;
    }
    switch (m_escape) {
    case EscapeState::None:
        return false;
    case EscapeState::Escape:
        if (c == '[') {
            m_escape = EscapeState::Csi;
            m_csi_parameter = 0;
            m_csi_separator = false;
            m_csi_bytes = 0;
            return true;
        }
        if (c == 'O') {
            m_escape = EscapeState::Ss3;
            return true;
        }
        m_escape = EscapeState::None;
        return false;
    case EscapeState::Ss3:
        m_escape = EscapeState::None;
        m_csi_parameter = 0;
        dispatch_csi(c, echo);
        return true;
    case EscapeState::Csi:
        if (byte >= 0x40 && byte <= 0x7e) {
            m_escape = EscapeState::None;
            dispatch_csi(c, echo);
        } else if (byte > 0x7e || ++m_csi_bytes > MAX_SEQUENCE_BYTES) {
            m_escape = EscapeState::None;
        } else if (c == ';') {
            // Only the first parameter matters (`ESC [ 1 ; 5 C` is still "right").
            m_csi_separator = true;
        } else if (c >= '0' && c <= '9' && !m_csi_separator && m_csi_parameter < 10000) {
            m_csi_parameter = m_csi_parameter * 10 + static_cast<u32>(c - '0');
        }
        return true;
    }
    return false;
}

void LineEditing::dispatch_csi(char final_byte, FormatSink& echo)
{
    u32 parameter = m_csi_parameter;
    switch (final_byte) {
    case 'A':
        history_older(echo);
        break;
    case 'B':
        history_newer(echo);
        break;
    case 'C':
        move_right(m_cursor < m_length ? 1 : 0, echo);
        break;
    case 'D':
        move_left(m_cursor ? 1 : 0, echo);
        break;
    case 'H':
        move_left(m_cursor, echo);
        break;
    case 'F':
        move_right(m_length - m_cursor, echo);
        break;
    case '~':
        // VT220 editing keys: 1/7 Home, 4/8 End, 3 Delete.
        if (parameter == 1 || parameter == 7)
            move_left(m_cursor, echo);
        else if (parameter == 4 || parameter == 8)
            move_right(m_length - m_cursor, echo);
        else if (parameter == 3)
            erase_at_cursor(echo);
        break;
    default:
        break; // function keys, page up/down, reports: nothing to do
    }
}

void LineEditing::insert(char c, FormatSink& echo)
{
    if (m_length == MAX_LINE) {
        echo.write("\a");
        return;
    }
    for (usize i = m_length; i > m_cursor; --i)
        m_buffer[i] = m_buffer[i - 1];
    m_buffer[m_cursor] = c;
    ++m_length;
    echo.write({ m_buffer + m_cursor, m_length - m_cursor });
    ++m_cursor;
    if (m_length > m_cursor)
        format(echo, "\x1b[{}D", m_length - m_cursor);
}

void LineEditing::erase_before_cursor(FormatSink& echo)
{
    if (m_cursor == 0)
        return;
    move_left(1, echo);
    erase_at_cursor(echo);
}

void LineEditing::erase_at_cursor(FormatSink& echo)
{
    if (m_cursor == m_length)
        return;
    for (usize i = m_cursor; i + 1 < m_length; ++i)
        m_buffer[i] = m_buffer[i + 1];
    --m_length;
    echo.write({ m_buffer + m_cursor, m_length - m_cursor });
    echo.write("\x1b[K");
    if (m_length > m_cursor)
        format(echo, "\x1b[{}D", m_length - m_cursor);
}

void LineEditing::move_left(usize count, FormatSink& echo)
{
    if (count == 0)
        return;
    m_cursor -= count;
    format(echo, "\x1b[{}D", count);
}

void LineEditing::move_right(usize count, FormatSink& echo)
{
    if (count == 0)
        return;
    m_cursor += count;
    format(echo, "\x1b[{}C", count);
}

void LineEditing::cut_to_end(FormatSink& echo)
{
    if (m_cursor == m_length)
        return;
    m_length = m_cursor;
    echo.write("\x1b[K");
}

void LineEditing::clear_line(FormatSink& echo)
{
    move_left(m_cursor, echo);
    cut_to_end(echo);
}

void LineEditing::replace_line(StringView text, FormatSink& echo)
{
    move_left(m_cursor, echo);
    copy(m_buffer, text);
    m_length = text.length();
    m_cursor = m_length;
    echo.write(text);
    echo.write("\x1b[K");
}

void LineEditing::history_older(FormatSink& echo)
{
    if (m_browse == m_history_count)
        return;
    if (m_browse == 0) {
        copy(m_draft.text, line());
        m_draft.length = m_length;
    }
    ++m_browse;
    replace_line(history_entry(m_browse - 1), echo);
}

void LineEditing::history_newer(FormatSink& echo)
{
    if (m_browse == 0)
        return;
    --m_browse;
    if (m_browse == 0)
        replace_line({ m_draft.text, m_draft.length }, echo);
    else
        replace_line(history_entry(m_browse - 1), echo);
}

void LineEditing::add_to_history()
{
    StringView text = line();
    if (text.trim_whitespace().is_empty())
        return;
    if (m_history_count && history_entry(0) == text)
        return;
    usize slot = m_history_count ? (m_history_newest + 1) % HISTORY_SIZE : 0;
    copy(m_history[slot].text, text);
    m_history[slot].length = text.length();
    m_history_newest = slot;
    if (m_history_count < HISTORY_SIZE)
        ++m_history_count;
}

} // namespace kshell
