// The temporary signal mask of the waiting calls; see TemporarySignalMask.h.
#include <kernel/poll/TemporarySignalMask.h>
#include <kernel/proc/Process.h>
#include <kernel/proc/SignalState.h>
#include <kernel/proc/UserThread.h>
#include <kernel/user/UserPtr.h>

namespace kpoll {

namespace {

constexpr u64 SIGSET_SIZE = 8;

proc::ThreadSignalState& signal_state()
{
    return proc::UserThread::current()->signals();
}

} // namespace

ErrorOr<void> TemporarySignalMask::install(u64 address, u64 size)
{
    if (!address)
        return {};
    if (size != SIGSET_SIZE)
        return Error::from_errno(EINVAL);
    u64 mask;
    TRY(user::copy_from_user(mask, user::UserPtr<const u64>(address)));
    proc::ThreadSignalState& state = signal_state();
    state.saved_blocked = state.blocked;
    state.blocked = mask & ~proc::UNBLOCKABLE_SIGNALS;
    m_installed = true;
    return {};
}

void TemporarySignalMask::finish(bool interrupted)
{
    if (!m_installed)
        return;
    proc::ThreadSignalState& state = signal_state();
    if (interrupted)
        state.has_saved_blocked = true; // deliver_signals restores it
    else
        state.blocked = state.saved_blocked;
    m_installed = false;
}

} // namespace kpoll
