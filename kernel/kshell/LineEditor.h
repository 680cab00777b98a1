#pragma once

// Line input for kshell: printable characters, backspace, Enter.
#include <kernel/lib/StringView.h>

namespace kshell {

class LineEditor {
public:
    static constexpr usize MAX_LINE = 256;

    // Prints the prompt and returns the line the user entered (valid until
    // the next call).
    StringView read_line(StringView prompt);

private:
    char m_buffer[MAX_LINE];
    usize m_length { 0 };
};

} // namespace kshell
