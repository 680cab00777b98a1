#pragma once

// Job control on the terminal (POSIX XBD 11.1.4; Linux's job_control and
// tty_check_change in drivers/tty/tty_jobctrl.c): a process outside the
// foreground group that reads its controlling terminal, writes it while
// TOSTOP is set, or changes its settings (TCSETS*, TIOCSPGRP) gets SIGTTIN
// or SIGTTOU for its group, or EIO. The Tty does not know processes: the
// process code installs the check, which decides from the calling process
// and the terminal's foreground group.
#include <kernel/lib/Error.h>

namespace tty {

enum class Access : u8 {
    Read,      // read(2): SIGTTIN
    Write,     // write(2) with TOSTOP: SIGTTOU
    Configure, // TCSETS*, TIOCSPGRP: SIGTTOU
};

// Returns success to go on, or the call's error: EIO, or EINTR once the
// group was sent its stop signal (the call restarts after SIGCONT).
using AccessCheck = ErrorOr<void> (*)(Access access, int foreground_group);
void set_access_check(AccessCheck check);
// Without an installed check every access is allowed.
ErrorOr<void> check_access(Access access, int foreground_group);

} // namespace tty
