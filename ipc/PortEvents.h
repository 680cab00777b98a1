#pragma once

// Readiness changes of every port, for port_wait on several handles: a
// global event count and wait queue. A port signals after each change that
// can make it readable or writable (Port::notify); a waiter reads current(),
// checks its ports, then sleeps until the count moves. Signalling costs one
// atomic load when nobody waits on several handles.
#include <kernel/lib/Error.h>

namespace ipc::port_events {

u64 current();
void signal();
// Until current() != seen: ETIMEDOUT at `deadline_ns`, EINTR for a signal.
ErrorOr<void> wait_for_change(u64 seen, u64 deadline_ns);

} // namespace ipc::port_events
