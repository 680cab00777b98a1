#pragma once

// The rights algebra of capability handles (seed section 1.1; docs/ipc.md).
//
// A handle carries a set of rights (IPC_RIGHT_* in kernel/api/ipc.h). Rights
// never grow: duplicating keeps them, diminishing keeps a subset, transferring
// moves them unchanged, and no call adds one. These functions are the only
// places that decide what a new handle may carry, so the host tests can show
// that no sequence of calls escalates.
//
// Errors: EACCES when the handle lacks the right the operation needs, EPERM
// when the requested rights are not a subset (an attempt to escalate), EINVAL
// for bits that name no right.
#include <kernel/api/ipc.h>
#include <kernel/lib/Error.h>

namespace ipc {

using Rights = u32;

constexpr bool has_rights(Rights held, Rights required)
{
    return (held & required) == required;
}

constexpr bool is_subset(Rights subset, Rights of)
{
    return (subset & ~of) == 0;
}

// Rights of a duplicate of a handle with `held`: needs DUPLICATE.
ErrorOr<Rights> rights_for_duplicate(Rights held);
// Rights of a diminished copy: needs DIMINISH, `requested` must be a subset.
ErrorOr<Rights> rights_for_diminish(Rights held, Rights requested);
// Checks that a handle with `held` may travel in a message: needs TRANSFER.
// A RECEIVE right never travels (EINVAL): a queued message holding the
// receive side of a port would keep that port, and through it the message,
// alive forever (see docs/ipc.md, "Why RECEIVE stays put").
ErrorOr<void> check_transferable(Rights held);

// An expiry time for a diminished copy: the earlier of the current one
// (0 = none) and `now_ns + lifetime_ns` (lifetime 0 = keep the current one).
u64 diminished_expiry(u64 current_expiry_ns, u64 now_ns, u64 lifetime_ns);

} // namespace ipc
