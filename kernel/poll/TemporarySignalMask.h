#pragma once

// The signal mask of ppoll, pselect6 and epoll_pwait: installed for the
// wait, and put back afterwards. When the call ends with EINTR, the
// temporary mask stays until the signal that interrupted it is delivered,
// and the handler's frame carries the caller's own mask (SignalState.h,
// saved_blocked), so the handler runs as if the mask had been in force and
// the caller's mask returns with sigreturn, as on Linux.
#include <kernel/lib/Error.h>

namespace kpoll {

class TemporarySignalMask {
public:
    // Reads the sigset at `address` (8 bytes, else EINVAL; EFAULT) and
    // installs it. A null address installs nothing.
    ErrorOr<void> install(u64 address, u64 size);
    // Ends the wait with `result`'s error or success.
    void finish(bool interrupted);

private:
    bool m_installed { false };
};

} // namespace kpoll
