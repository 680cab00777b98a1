#pragma once

// The controlling terminal (POSIX XBD 11.1.3, Linux drivers/tty/tty_jobctrl.c)
// for Osprey's one terminal, the console: it belongs to at most one
// session, recorded here as that session's id. A session stops owning it
// when its leader is gone (Linux's disassociate_ctty at the leader's exit),
// checked lazily: an owner whose leader is not alive counts as none.
//
// These are the process-side checks of the terminal ioctls; the Tty keeps
// the foreground group itself (kernel/tty/Tty.h). Locking: the owner is
// read and written under g_table_lock (ProcessTable.h).
#include <kernel/proc/Process.h>
#include <kernel/tty/JobControl.h>

namespace proc {

// TIOCSCTTY: `process` must lead its session (EPERM), and the console must
// be free or already its session's (EPERM). Returns the group to make the
// foreground one (the caller's).
ErrorOr<i32> acquire_console(Process& process);
// TIOCGPGRP/TIOCSPGRP: ENOTTY unless the console is `process`'s
// controlling terminal.
ErrorOr<void> check_console_owner(const Process& process);
// TIOCSPGRP(group): as check_console_owner, then EINVAL for group < 0 and
// EPERM unless some process of the caller's session is in `group`.
ErrorOr<void> check_foreground_group(const Process& process, i32 group);

// The terminal's job-control check (tty::set_access_check) for the current
// process: outside the console's foreground group, on its controlling
// terminal, a read gets SIGTTIN for the group (EIO when SIGTTIN is ignored
// or blocked, or the group is orphaned), a write with TOSTOP or a settings
// change gets SIGTTOU (allowed when SIGTTOU is ignored or blocked; EIO when
// orphaned). After sending the signal it fails with EINTR, which restarts
// the call once the group is continued.
ErrorOr<void> check_terminal_access(tty::Access access, int foreground_group);

// At a process's exit (Linux's disassociate_ctty and kill_orphaned_pgrp):
// a session leader that owns the console frees it and its foreground group
// gets SIGHUP; and each process group this exit leaves orphaned (its own,
// its children's) that has a stopped member gets SIGHUP, then SIGCONT. The
// second under g_table_lock, before the children are given to init.
void release_controlling_terminal(Process& exiting);
void signal_orphaned_groups_locked(Process& exiting);

} // namespace proc
