// Process groups and sessions: setpgid, getpgid, getpgrp, setsid, getsid.
// The rules are in kernel/proc/Groups.cpp (Process.h documents them).
#include <kernel/syscalls/Handlers.h>

namespace syscalls {

// setpgid(pid, pgid): EINVAL, ESRCH, EPERM.
SYSCALL_HANDLER(setpgid)
{
    TRY(current_process().set_process_group(static_cast<i32>(arguments[0]), static_cast<i32>(arguments[1])));
    return 0;
}

// getpgid(pid): ESRCH.
SYSCALL_HANDLER(getpgid)
{
    return static_cast<u64>(TRY(current_process().process_group_of(static_cast<i32>(arguments[0]))));
}

SYSCALL_HANDLER(getpgrp)
{
    return static_cast<u64>(current_process().process_group());
}

// setsid(): the new session id; EPERM for a process group leader.
SYSCALL_HANDLER(setsid)
{
    return static_cast<u64>(TRY(current_process().create_session()));
}

// getsid(pid): ESRCH.
SYSCALL_HANDLER(getsid)
{
    return static_cast<u64>(TRY(current_process().session_of(static_cast<i32>(arguments[0]))));
}

} // namespace syscalls
