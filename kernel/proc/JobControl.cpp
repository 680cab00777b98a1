// Stopping and continuing processes (POSIX job control; Linux's
// do_signal_stop and the SIGCONT side of prepare_signal): see Process.h.
//
// The thread that takes a stop signal waits on s_stopped in stop_for_signal,
// in the kernel on its way back to ring 3, until continue_locked clears
// m_stopped; the other threads wait there too (wait_while_stopped) at their
// next return towards ring 3, a timer tick at the latest for one that runs. The parent learns of each change through
// m_child_events, g_child_events and SIGCHLD (wait4 with WUNTRACED / WCONTINUED).
#include <kernel/proc/ProcessTable.h>
#include <kernel/proc/Signals.h>

namespace proc {

namespace {

[[clang::no_destroy]] constinit sched::WaitQueue s_stopped;

} // namespace

void Process::stop_for_signal(int signal)
{
    {
        SpinlockGuard guard(g_table_lock);
        m_stopped = true;
        m_stop_signal = static_cast<u8>(signal);
        m_stop_unreported = true;
        m_continue_unreported = false;
        if (m_parent) {
            __atomic_add_fetch(&m_parent->m_child_events, 1, __ATOMIC_RELEASE);
            if (!(m_parent->signals().action(SIGNAL_CHILD).flags & ACTION_NO_CHILD_STOP))
                post_signal_locked(*m_parent, SIGNAL_CHILD, { CODE_CHILD_STOPPED, m_pid, m_credentials.uid, signal });
        }
    }
    g_child_events.wake_all();
    s_stopped.wait_until([this] { return !__atomic_load_n(&m_stopped, __ATOMIC_ACQUIRE); });
}

void Process::wait_while_stopped()
{
    if (!__atomic_load_n(&m_stopped, __ATOMIC_ACQUIRE))
        return;
    s_stopped.wait_until([this] { return !__atomic_load_n(&m_stopped, __ATOMIC_ACQUIRE) || must_leave(); });
}

void Process::wake_stopped_threads_locked()
{
    s_stopped.wake_all();
}

void Process::continue_locked(bool report)
{
    if (!m_stopped)
        return;
    __atomic_store_n(&m_stopped, false, __ATOMIC_RELEASE);
    m_stop_unreported = false;
    if (report) {
        m_continue_unreported = true;
        if (m_parent) {
            __atomic_add_fetch(&m_parent->m_child_events, 1, __ATOMIC_RELEASE);
            if (!(m_parent->signals().action(SIGNAL_CHILD).flags & ACTION_NO_CHILD_STOP))
                post_signal_locked(
                    *m_parent, SIGNAL_CHILD, { CODE_CHILD_CONTINUED, m_pid, m_credentials.uid, SIGNAL_CONTINUE });
        }
        g_child_events.wake_all();
    }
    s_stopped.wake_all();
}

} // namespace proc
