// The console side of line editing. The echo for one key is collected in a
// stack buffer and written in one console::write, so a log line printed from
// an interrupt handler cannot land in the middle of an escape sequence.
#include <kernel/console/Console.h>
#include <kernel/kshell/LineEditor.h>

namespace kshell {

namespace {

// The largest echo of one key: a whole recalled line plus cursor moves.
constexpr usize ECHO_CAPACITY = LineEditing::MAX_LINE + 32;

} // namespace

StringView LineEditor::read_line(StringView prompt)
{
    console::write(prompt);
    m_editing.begin_line();
    for (;;) {
        char c = console::read_char();
        char echo[ECHO_CAPACITY];
        lib::BufferSink sink(echo, sizeof(echo));
        LineEditing::Result result = m_editing.feed(c, sink);
        if (sink.length())
            console::write(sink.view());
        if (result != LineEditing::Result::Editing)
            return m_editing.line();
    }
}

} // namespace kshell
