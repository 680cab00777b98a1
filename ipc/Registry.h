#pragma once

// The service registry (seed section 1.4, ServiceRegistry; docs/ipc.md):
// names for ports. A name is 1 to IPC_SERVICE_NAME_MAX bytes of
// [A-Za-z0-9._-], unique among at most IPC_SERVICE_LIMIT names. The
// registry keeps a SEND endpoint of the port, so a registered port counts
// as having a sender; lookup hands out a new SEND endpoint. Only the owner
// (the registering process) withdraws a name; exit withdraws its names.
//
// The table is a ServiceDirectory (ServiceDirectory.h) in static storage:
// registering allocates nothing. Locking: s_lock (a spinlock) guards it;
// endpoints leave it under the lock and are dropped after the unlock.
#include <ipc/Port.h>
#include <kernel/api/ipc.h>
#include <kernel/lib/Span.h>
#include <kernel/lib/StringView.h>

namespace ipc::registry {

// EINVAL (empty or a character outside the set), ENAMETOOLONG.
ErrorOr<void> check_name(StringView name);

// EEXIST (taken), ENOSPC (full).
ErrorOr<void> add(StringView name, Port& port, i32 owner_pid);
// ENOENT (no such name), EPERM (`caller_pid` does not own it).
ErrorOr<void> withdraw(StringView name, i32 caller_pid);
void withdraw_all(i32 owner_pid);
// A SEND endpoint of the named port; ENOENT.
ErrorOr<PortRef> lookup(StringView name);
// Fills `entries` in registration order; returns how many names exist.
usize list(Span<osprey_service_entry> entries);

} // namespace ipc::registry
