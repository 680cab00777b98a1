// Process groups, sessions and the console as controlling terminal; see
// Process.h and ControllingTerminal.h. The rules follow Linux's
// kernel/sys.c (setpgid, setsid, getpgid, getsid) and tty_jobctrl.c.
#include <kernel/proc/ControllingTerminal.h>
#include <kernel/proc/ProcessTable.h>

namespace proc {

namespace {

constinit i32 s_console_session = 0; // guarded by g_table_lock; 0 = no owner

bool group_exists_in_session_locked(i32 group, i32 session)
{
    for (Process* process : g_table) {
        if (process && process->process_group_locked() == group && process->session_locked() == session)
            return true;
    }
    return false;
}

// The session that owns the console: 0 when none, or when its leader has
// ended.
i32 console_owner_locked()
{
    if (s_console_session == 0)
        return 0;
    Process* leader = find_locked(s_console_session);
    if (!leader || leader->is_zombie() || leader->session_locked() != s_console_session)
        s_console_session = 0;
    return s_console_session;
}

} // namespace

i32 Process::process_group() const
{
    SpinlockGuard guard(g_table_lock);
    return m_pgid;
}

i32 Process::session() const
{
    SpinlockGuard guard(g_table_lock);
    return m_sid;
}

ErrorOr<void> Process::set_process_group(i32 pid, i32 pgid)
{
    if (pgid < 0)
        return Error::from_errno(EINVAL);
    SpinlockGuard guard(g_table_lock);
    Process* target = pid == 0 ? this : find_locked(pid);
    if (!target || (target != this && target->m_parent != this))
        return Error::from_errno(ESRCH);
    if (pgid == 0)
        pgid = target->m_pid;
    if (target != this && target->m_sid != m_sid)
        return Error::from_errno(EPERM);
    if (target->m_sid == target->m_pid)
        return Error::from_errno(EPERM);
    if (pgid != target->m_pid && !group_exists_in_session_locked(pgid, m_sid))
        return Error::from_errno(EPERM);
    target->m_pgid = pgid;
    return {};
}

ErrorOr<i32> Process::create_session()
{
    SpinlockGuard guard(g_table_lock);
    for (Process* process : g_table) {
        if (process && process->m_pgid == m_pid)
            return Error::from_errno(EPERM);
    }
    m_sid = m_pid;
    m_pgid = m_pid;
    return m_sid;
}

ErrorOr<i32> Process::process_group_of(i32 pid) const
{
    SpinlockGuard guard(g_table_lock);
    const Process* target = pid == 0 ? this : find_locked(pid);
    if (!target || pid < 0)
        return Error::from_errno(ESRCH);
    return target->m_pgid;
}

ErrorOr<i32> Process::session_of(i32 pid) const
{
    SpinlockGuard guard(g_table_lock);
    const Process* target = pid == 0 ? this : find_locked(pid);
    if (!target || pid < 0)
        return Error::from_errno(ESRCH);
    return target->m_sid;
}

ErrorOr<i32> acquire_console(Process& process)
{
    SpinlockGuard guard(g_table_lock);
    i32 session = process.session_locked();
    if (session != process.pid())
        return Error::from_errno(EPERM);
    i32 owner = console_owner_locked();
    if (owner != 0 && owner != session)
        return Error::from_errno(EPERM);
    s_console_session = session;
    return process.process_group_locked();
}

ErrorOr<void> check_console_owner(const Process& process)
{
    SpinlockGuard guard(g_table_lock);
    if (console_owner_locked() != process.session_locked())
        return Error::from_errno(ENOTTY);
    return {};
}

ErrorOr<void> check_foreground_group(const Process& process, i32 group)
{
    SpinlockGuard guard(g_table_lock);
    i32 session = process.session_locked();
    if (console_owner_locked() != session)
        return Error::from_errno(ENOTTY);
    if (group < 0)
        return Error::from_errno(EINVAL);
    if (!group_exists_in_session_locked(group, session))
        return Error::from_errno(EPERM);
    return {};
}

} // namespace proc
