#pragma once

// The first process: /sbin/init from the root filesystem, started at boot
// as pid 1 (unless the command line asks for kshell). It gets fds 0-2 on
// the console, cwd /, argv { "/sbin/init" } and a small environment.
#include <kernel/proc/Process.h>

namespace proc {

inline constexpr StringView INIT_PATH = "/sbin/init";

// ENOENT when there is no /sbin/init; the loader's errors otherwise.
ErrorOr<Process*> start_init();

} // namespace proc
