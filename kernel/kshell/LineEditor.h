#pragma once

// Line input for kshell on the console: prints the prompt, feeds console
// input bytes (serial and PS/2 keyboard alike) to the portable LineEditing
// state machine and writes its screen updates back to every console output.
#include <kernel/kshell/LineEditing.h>

namespace kshell {

class LineEditor {
public:
    constexpr LineEditor() = default;

    // Prints the prompt and returns the line the user entered, valid until the
    // next call. A line abandoned with Ctrl-C comes back empty.
    StringView read_line(StringView prompt);

private:
    LineEditing m_editing;
};

} // namespace kshell
