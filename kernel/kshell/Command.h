#pragma once

// kshell commands register themselves declaratively: each is a constexpr
// record placed in the .kshell_commands section, which the linker script
// collects into one table. No global constructors, no central list to edit.
//
//   static void meminfo(kshell::Arguments args) { ... }
//   KSHELL_COMMAND(meminfo, "physical memory statistics", meminfo);
#include <kernel/lib/Span.h>
#include <kernel/lib/StringView.h>

namespace kshell {

// The words of the command line; args[0] is the command name.
using Arguments = Span<const StringView>;

struct Command {
    const char* name;
    const char* help;
    void (*run)(Arguments args);
};

Span<const Command> commands();

} // namespace kshell

#define KSHELL_COMMAND(name, help, function)                                                                     \
    [[gnu::used, gnu::section(".kshell_commands")]] static constexpr ::kshell::Command kshell_command_##function \
    {                                                                                                            \
        name, help, function                                                                                     \
    }
