#pragma once

// The kshell lines that say how a process ended, from its wait status:
//   <command>: <name> exited with status <n>
//   <command>: <name> killed by <SIGNAL>
#include <kernel/lib/StringView.h>

namespace proc {

void report_status(StringView command, StringView name, int wait_status);

} // namespace proc
