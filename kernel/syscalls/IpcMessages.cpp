// Capability IPC, messages: port_send, port_receive, port_call, port_reply
// and port_wait. docs/ipc.md lists each call's rights and errors;
// ipc/Transfer.h moves messages between user memory and ports.
#include <ipc/PortEvents.h>
#include <ipc/Transfer.h>
#include <kernel/syscalls/IpcSupport.h>
#include <kernel/user/UserPtr.h>

namespace syscalls {

namespace {

constexpr u32 TYPE_FROM_REQUEST = ~0u;

// Builds and queues a message; on failure the capabilities go back.
ErrorOr<void> send_message(ipc::HandleSpace& space, ipc::Port& port, const osprey_ipc_message& request, u32 type,
    ipc::PortRef reply, const ipc::Wait& wait)
{
    ipc::OwnedMessage message(TRY(ipc::build_outgoing(space, request, current_process().pid(), type)));
    message->reply = lib::move(reply);
    if (auto sent = port.send(*message, wait); sent.is_error()) {
        ipc::return_capabilities(space, request, *message);
        return sent.release_error();
    }
    (void)message.release();
    return {};
}

u32 receive_capacity(const osprey_ipc_message& request)
{
    return request.payload_capacity < IPC_MAX_PAYLOAD ? request.payload_capacity : IPC_MAX_PAYLOAD;
}

} // namespace

// port_send(handle, message, timeout_ns): needs SEND (and TRANSFER on each
// capability). EBADF, ETIME, EACCES, EINVAL, EMSGSIZE, E2BIG, EFAULT,
// ENOMEM, EPIPE (no receiver), EAGAIN (full, timeout 0), ETIMEDOUT, EINTR.
SYSCALL_HANDLER(port_send)
{
    osprey_ipc_message request = TRY(ipc::copy_message_header(arguments[1]));
    ipc::HandleSpace& space = *TRY(current_handles());
    auto port = TRY(port_with_rights(space, handle_argument(arguments[0]), IPC_RIGHT_SEND));
    TRY(send_message(space, *port, request, TYPE_FROM_REQUEST, {}, ipc::Wait::from_timeout(arguments[2])));
    return 0;
}

// port_receive(handle, message, timeout_ns): needs RECEIVE. EBADF, ETIME,
// EACCES, EFAULT, EMSGSIZE and EMFILE (the message does not fit; it stays
// queued), ECONNRESET (no sender left), EAGAIN, ETIMEDOUT, EINTR.
SYSCALL_HANDLER(port_receive)
{
    osprey_ipc_message request = TRY(ipc::copy_message_header(arguments[1]));
    ipc::HandleSpace& space = *TRY(current_handles());
    auto port = TRY(port_with_rights(space, handle_argument(arguments[0]), IPC_RIGHT_RECEIVE));
    ipc::Message* message
        = TRY(port->receive(receive_capacity(request), space.free_slots(), ipc::Wait::from_timeout(arguments[2])));
    TRY(ipc::deliver(space, message, request, arguments[1]));
    return 0;
}

// port_call(handle, request, reply, timeout_ns): sends `request` as a
// Request carrying a one-shot reply handle, then waits for the Reply (the
// timeout covers both). As port_send, then as port_receive on the reply;
// ECONNRESET when the server closes the reply handle without answering.
SYSCALL_HANDLER(port_call)
{
    osprey_ipc_message request = TRY(ipc::copy_message_header(arguments[1]));
    osprey_ipc_message reply_request = TRY(ipc::copy_message_header(arguments[2]));
    ipc::HandleSpace& space = *TRY(current_handles());
    auto port = TRY(port_with_rights(space, handle_argument(arguments[0]), IPC_RIGHT_SEND));
    ipc::Wait wait = ipc::Wait::from_timeout(arguments[3]);

    auto reply_port = TRY(ipc::Port::try_create());
    ipc::PortRef reply_receiver = ipc::PortRef::attach(*reply_port, IPC_RIGHT_RECEIVE);
    TRY(send_message(space, *port, request, IPC_MSG_REQUEST, ipc::PortRef::attach(*reply_port, IPC_RIGHT_SEND), wait));
    ipc::Message* reply = TRY(reply_port->receive(receive_capacity(reply_request), space.free_slots(), wait));
    TRY(ipc::deliver(space, reply, reply_request, arguments[2]));
    return 0;
}

// port_reply(handle, message): sends `message` as a Reply without waiting
// and closes `handle` (when the reply was queued, or nobody waits for it
// any more: EPIPE). Needs SEND. Errors as port_send.
SYSCALL_HANDLER(port_reply)
{
    osprey_ipc_message request = TRY(ipc::copy_message_header(arguments[1]));
    ipc::HandleSpace& space = *TRY(current_handles());
    i32 handle = handle_argument(arguments[0]);
    auto port = TRY(port_with_rights(space, handle, IPC_RIGHT_SEND));
    auto sent = send_message(space, *port, request, IPC_MSG_REPLY, {}, ipc::Wait::from_timeout(0));
    if (!sent.is_error() || sent.error().code() == EPIPE)
        (void)space.remove(handle);
    TRY(sent);
    return 0;
}

// port_wait(items, count, timeout_ns): waits until one of the handles is
// ready (poll(2) for ports) and returns how many are, 0 on timeout.
// IPC_READABLE needs RECEIVE, IPC_WRITABLE needs SEND. EINVAL (count 0 or
// above IPC_WAIT_MAX, unknown events), EBADF, ETIME, EACCES, EFAULT, EINTR.
SYSCALL_HANDLER(port_wait)
{
    u64 count = arguments[1];
    if (count == 0 || count > IPC_WAIT_MAX)
        return Error::from_errno(EINVAL);
    osprey_ipc_wait_item items[IPC_WAIT_MAX];
    TRY(user::copy_from_user(items, user::UserPtr<const void>(arguments[0]), count * sizeof(items[0])));
    ipc::HandleSpace& space = *TRY(current_handles());
    RefPtr<ipc::Port> ports[IPC_WAIT_MAX];
    for (u64 i = 0; i < count; ++i) {
        u16 events = items[i].events;
        if (events & ~(IPC_READABLE | IPC_WRITABLE))
            return Error::from_errno(EINVAL);
        ipc::Rights required
            = ((events & IPC_READABLE) ? IPC_RIGHT_RECEIVE : 0) | ((events & IPC_WRITABLE) ? IPC_RIGHT_SEND : 0);
        ports[i] = TRY(port_with_rights(space, items[i].handle, required));
    }
    ipc::Wait wait = ipc::Wait::from_timeout(arguments[2]);
    u64 ready = 0;
    for (;;) {
        u64 seen = ipc::port_events::current();
        for (u64 i = 0; i < count; ++i) {
            items[i].revents = ports[i]->poll(items[i].events);
            ready += items[i].revents ? 1 : 0;
        }
        if (ready || !wait.may_block)
            break;
        auto changed = ipc::port_events::wait_for_change(seen, wait.deadline_ns);
        if (changed.is_error() && changed.error().code() == ETIMEDOUT)
            break;
        TRY(changed);
    }
    TRY(user::copy_to_user(user::UserPtr<void>(arguments[0]), items, count * sizeof(items[0])));
    return ready;
}

} // namespace syscalls
