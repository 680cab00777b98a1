// The kshell loop: read a line, split it into words, run the matching command.
#include <kernel/console/Console.h>
#include <kernel/kshell/Command.h>
#include <kernel/kshell/LineEditor.h>
#include <kernel/kshell/Shell.h>

extern "C" const kshell::Command _kshell_commands_start[];
extern "C" const kshell::Command _kshell_commands_end[];

namespace kshell {

Span<const Command> commands()
{
    return { _kshell_commands_start, static_cast<usize>(_kshell_commands_end - _kshell_commands_start) };
}

namespace {

constexpr usize MAX_ARGUMENTS = 32;

// Splits `line` at white space into at most `capacity` words; returns the
// number of words in the line, which may exceed `capacity`.
usize split_words(StringView line, StringView* words, usize capacity)
{
    usize count = 0;
    usize i = 0;
    while (i < line.length()) {
        while (i < line.length() && StringView::is_space(line[i]))
            ++i;
        usize start = i;
        while (i < line.length() && !StringView::is_space(line[i]))
            ++i;
        if (i > start) {
            if (count < capacity)
                words[count] = line.substring(start, i - start);
            ++count;
        }
    }
    return count;
}

void execute(StringView line)
{
    StringView words[MAX_ARGUMENTS];
    usize count = split_words(line, words, MAX_ARGUMENTS);
    if (count == 0)
        return;
    if (count > MAX_ARGUMENTS) {
        console::print("kshell: too many words ({}, at most {})\n", count, MAX_ARGUMENTS);
        return;
    }
    for (const Command& command : commands()) {
        if (words[0] == StringView(command.name)) {
            command.run({ words, count });
            return;
        }
    }
    console::print("kshell: unknown command '{}' (try 'help')\n", words[0]);
}

void help(Arguments)
{
    for (const Command& command : commands())
        console::print("  {:<12} {}\n", command.name, command.help);
}
KSHELL_COMMAND("help", "list the commands", help);

} // namespace

void run()
{
    // The editor keeps the history (about 9 KiB): static, not on the boot stack.
    static constinit LineEditor s_editor;
    console::write("\n"
                   "Osprey kernel monitor. Type 'help' for commands.\n"
                   "Keys: arrows and Home/End move, Up/Down recall history, Ctrl-U clears the\n"
                   "line, Ctrl-C abandons it.\n");
    for (;;) {
        StringView line = s_editor.read_line("kshell> ");
        execute(line.trim_whitespace());
    }
}

} // namespace kshell
