#include <kernel/console/Console.h>
#include <kernel/kshell/LineEditor.h>

namespace kshell {

StringView LineEditor::read_line(StringView prompt)
{
    console::write(prompt);
    m_length = 0;
    for (;;) {
        char c = console::read_char();
        if (c == '\r' || c == '\n') {
            console::write("\n");
            return { m_buffer, m_length };
        }
        if (c == '\b' || c == 0x7f) {
            if (m_length) {
                --m_length;
                console::write("\b \b");
            }
            continue;
        }
        if (c >= 0x20 && c < 0x7f && m_length < MAX_LINE) {
            m_buffer[m_length++] = c;
            console::write({ &c, 1 });
        }
    }
}

} // namespace kshell
