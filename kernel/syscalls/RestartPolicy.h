#pragma once

// Which system calls run again after a signal interrupted them (signal(7),
// "Interruption of system calls and library functions by signal handlers";
// Linux returns ERESTARTSYS or ERESTARTNOHAND from these):
//   - blocking I/O (read, write and their vector and positioned forms,
//     ioctl, open of a slow device), wait4 and waitid, the socket calls
//     that block, futex and getrandom: again when no handler ran, or the
//     handler had SA_RESTART;
//   - pause, rt_sigsuspend, poll, ppoll, select, pselect6: again only when
//     no handler ran (a stop and SIGCONT);
//   - nanosleep, clock_nanosleep (and restart_syscall, which continues
//     them): EINTR when a handler ran, otherwise on to the same deadline
//     through restart_syscall;
//   - everything else, including rt_sigtimedwait and epoll_wait/epoll_pwait
//     (Linux's ep_poll returns EINTR itself, so even a stop and SIGCONT
//     ends them): EINTR.
#include <kernel/proc/Signals.h>

namespace syscalls {

proc::RestartPolicy restart_policy(u64 number);

} // namespace syscalls
