#pragma once

// Moving messages between user memory and ports, shared by port_send,
// port_receive, port_call and port_reply (kernel/syscalls/IpcMessages.cpp;
// docs/ipc.md):
//  - outgoing: the user's osprey_ipc_message is checked (type EINVAL,
//    payload EMSGSIZE, capability count E2BIG), the payload copied in and the
//    capabilities taken out of the sender's table, all or none: each must be
//    a live handle (EBADF, ETIME) with TRANSFER (EACCES), without RECEIVE and
//    listed once (EINVAL);
//  - a send that fails puts the capabilities back under their numbers;
//  - incoming: the payload and header are written to the user's buffers
//    and the capabilities installed in the receiver's table (the port
//    checked there was room before it let the message go).
#include <ipc/HandleSpace.h>
#include <ipc/Message.h>
#include <kernel/api/ipc.h>

namespace ipc {

static_assert(sizeof(osprey_ipc_message) == 64);

// The user's description of a message, copied in. EFAULT.
ErrorOr<osprey_ipc_message> copy_message_header(u64 user_message);

// A message ready to queue, built from `request`; `type` overrides
// request.type unless it is ~0u. Takes the capabilities out of `space`.
ErrorOr<Message*> build_outgoing(HandleSpace& space, const osprey_ipc_message& request, i32 sender_pid, u32 type);
// Undoes build_outgoing's capability moves after a failed send.
void return_capabilities(HandleSpace& space, const osprey_ipc_message& request, Message& message);

// Delivers `message` (consumed) to the user's buffers described by
// `request` at `user_message`. EFAULT (the message is then lost and its
// capabilities closed).
ErrorOr<void> deliver(HandleSpace& space, Message* taken, const osprey_ipc_message& request, u64 user_message);

} // namespace ipc
