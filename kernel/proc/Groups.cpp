// Process groups, sessions and the console as controlling terminal; see
// Process.h and ControllingTerminal.h. The rules follow Linux's
// kernel/sys.c (setpgid, setsid, getpgid, getsid) and tty_jobctrl.c.
#include <kernel/proc/ControllingTerminal.h>
#include <kernel/proc/ProcessTable.h>
#include <kernel/proc/Signals.h>
#include <kernel/tty/Tty.h>

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

constexpr int SIGNAL_TERMINAL_INPUT = 21;  // SIGTTIN
constexpr int SIGNAL_TERMINAL_OUTPUT = 22; // SIGTTOU

// POSIX XBD 3.265: a group is orphaned when no member has a parent in
// another group of the same session. Linux's will_become_orphaned_pgrp:
// `exiting` and children about to lose it as their parent, zombies, and
// children of init (or of nobody) do not count.
bool is_orphaned_group_locked(i32 group, const Process* exiting)
{
    for (Process* process : g_table) {
        if (!process || process->process_group_locked() != group || process == exiting || process->is_zombie_locked())
            continue;
        i32 parent_pid = process->parent_pid_locked();
        if (parent_pid == 0 || parent_pid == INIT_PID || (exiting && parent_pid == exiting->pid()))
            continue;
        Process* parent = find_locked(parent_pid);
        if (parent && parent->process_group_locked() != group && parent->session_locked() == process->session_locked())
            return false;
    }
    return true;
}

bool has_stopped_member_locked(i32 group)
{
    for (Process* process : g_table) {
        if (process && process->process_group_locked() == group && process->is_stopped_locked())
            return true;
    }
    return false;
}

void signal_group_locked(i32 group, int signal, const Process* except)
{
    for (Process* process : g_table) {
        if (process && process != except && process->process_group_locked() == group)
            post_signal_locked(*process, signal);
    }
}

// Linux's kill_orphaned_pgrp: a group that `exiting` leaves orphaned
// while a member is stopped gets SIGHUP, then SIGCONT, so it neither
// stays stopped with nobody to continue it nor runs on unaware.
void hang_up_if_orphaned_locked(i32 group, const Process& exiting)
{
    if (is_orphaned_group_locked(group, &exiting) && has_stopped_member_locked(group)) {
        signal_group_locked(group, SIGNAL_HANGUP, &exiting);
        signal_group_locked(group, SIGNAL_CONTINUE, &exiting);
    }
}

} // namespace

void signal_orphaned_groups_locked(Process& exiting)
{
    i32 group = exiting.process_group_locked();
    i32 session = exiting.session_locked();
    // Its own group, when its parent kept it from being orphaned.
    if (Process* parent = find_locked(exiting.parent_pid_locked())) {
        if (parent->process_group_locked() != group && parent->session_locked() == session)
            hang_up_if_orphaned_locked(group, exiting);
    }
    // Its children's groups, which it may have been the last tie of.
    for (Process* child : g_table) {
        if (!child || child->parent_pid_locked() != exiting.pid())
            continue;
        i32 child_group = child->process_group_locked();
        if (child_group != group && child->session_locked() == session)
            hang_up_if_orphaned_locked(child_group, exiting);
    }
}

void release_controlling_terminal(Process& exiting)
{
    {
        SpinlockGuard guard(g_table_lock);
        i32 session = exiting.session_locked();
        if (session != exiting.pid() || console_owner_locked() != session)
            return;
        s_console_session = 0;
    }
    // The foreground group is read without the table lock: the Tty's lock
    // never nests inside it.
    tty::Tty& console = tty::Tty::console();
    i32 foreground = console.foreground_group();
    console.set_foreground_group(0);
    if (foreground <= 0)
        return;
    SpinlockGuard guard(g_table_lock);
    signal_group_locked(foreground, SIGNAL_HANGUP, &exiting);
}

ErrorOr<void> check_terminal_access(tty::Access access, int foreground_group)
{
    Process* process = Process::current();
    if (!process)
        return {}; // kernel code (kshell's self-test)
    SpinlockGuard guard(g_table_lock);
    i32 group = process->process_group_locked();
    if (console_owner_locked() != process->session_locked() || foreground_group <= 0 || group == foreground_group)
        return {};
    int signal = access == tty::Access::Read ? SIGNAL_TERMINAL_INPUT : SIGNAL_TERMINAL_OUTPUT;
    bool refused = (UserThread::current()->signals().blocked & signal_bit(signal))
        || process->signals().action(signal).handler == SIGNAL_IGNORE;
    if (refused)
        return access == tty::Access::Read ? Error::from_errno(EIO) : ErrorOr<void> {};
    if (is_orphaned_group_locked(group, nullptr))
        return Error::from_errno(EIO);
    signal_group_locked(group, signal, nullptr);
    return Error::from_errno(EINTR);
}

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
