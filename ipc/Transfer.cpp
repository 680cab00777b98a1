// Copying messages in and out of user space; see Transfer.h.
#include <ipc/Transfer.h>
#include <kernel/core/Panic.h>
#include <kernel/user/UserPtr.h>

namespace ipc {

ErrorOr<osprey_ipc_message> copy_message_header(u64 user_message)
{
    osprey_ipc_message request {};
    TRY(user::copy_from_user(&request, user::UserPtr<const void>(user_message), sizeof(request)));
    return request;
}

namespace {

ErrorOr<void> check_outgoing(const osprey_ipc_message& request)
{
    if (request.type > IPC_MSG_NOTIFICATION)
        return Error::from_errno(EINVAL);
    if (request.payload_length > IPC_MAX_PAYLOAD)
        return Error::from_errno(EMSGSIZE);
    if (request.cap_count > IPC_MAX_CAPS)
        return Error::from_errno(E2BIG);
    return {};
}

ErrorOr<void> check_capabilities(HandleSpace& space, const osprey_ipc_message& request)
{
    for (u32 i = 0; i < request.cap_count; ++i) {
        for (u32 j = 0; j < i; ++j) {
            if (request.caps[j] == request.caps[i])
                return Error::from_errno(EINVAL);
        }
        HandleEntry* entry = TRY(space.lookup(request.caps[i], IPC_RIGHT_TRANSFER));
        TRY(check_transferable(entry->rights));
    }
    return {};
}

} // namespace

ErrorOr<Message*> build_outgoing(HandleSpace& space, const osprey_ipc_message& request, i32 sender_pid, u32 type)
{
    TRY(check_outgoing(request));
    TRY(check_capabilities(space, request));
    OwnedMessage message(TRY(Message::allocate(request.payload_length)));
    message->sender = sender_pid;
    message->type = type == ~0u ? request.type : type;
    message->payload_length = request.payload_length;
    if (request.payload_length) {
        TRY(user::copy_from_user(message->payload(), user::UserPtr<const void>(reinterpret_cast<u64>(request.payload)),
            request.payload_length));
    }
    // Every check has passed: nothing below fails.
    for (u32 i = 0; i < request.cap_count; ++i) {
        auto removed = space.remove(request.caps[i]);
        VERIFY(!removed.is_error());
        HandleEntry entry = removed.release_value();
        message->caps[i] = { lib::move(entry.object), entry.rights, entry.flags, entry.expiry_ns };
    }
    message->cap_count = request.cap_count;
    return message.release();
}

void return_capabilities(HandleSpace& space, const osprey_ipc_message& request, Message& message)
{
    for (u32 i = 0; i < message.cap_count; ++i) {
        CapabilityInFlight& cap = message.caps[i];
        space.restore(request.caps[i], { lib::move(cap.port), cap.rights, cap.flags, cap.expiry_ns });
    }
    message.cap_count = 0;
}

ErrorOr<void> deliver(HandleSpace& space, Message* taken, const osprey_ipc_message& request, u64 user_message)
{
    OwnedMessage message(taken);
    if (message->payload_length) {
        TRY(user::copy_to_user(
            user::UserPtr<void>(reinterpret_cast<u64>(request.payload)), message->payload(), message->payload_length));
    }
    osprey_ipc_message received = request;
    received.sender = message->sender;
    received.type = message->type;
    received.payload_length = message->payload_length;
    received.cap_count = message->cap_count;
    received.reply_handle = IPC_NO_HANDLE;
    for (i32& handle : received.caps)
        handle = IPC_NO_HANDLE;
    // Port::receive let the message go only with room for every handle, and
    // only this process's thread changes its table.
    for (u32 i = 0; i < message->cap_count; ++i) {
        CapabilityInFlight& cap = message->caps[i];
        auto handle = space.install({ lib::move(cap.port), cap.rights, cap.flags, cap.expiry_ns });
        VERIFY(!handle.is_error());
        received.caps[i] = handle.value();
    }
    if (message->reply) {
        auto handle = space.install({ lib::move(message->reply), IPC_RIGHT_SEND, 0, 0 });
        VERIFY(!handle.is_error());
        received.reply_handle = handle.value();
    }
    auto copied = user::copy_to_user(user::UserPtr<void>(user_message), &received, sizeof(received));
    if (copied.is_error()) {
        // Nobody learns the new numbers: close them rather than leak them.
        for (u32 i = 0; i < received.cap_count; ++i)
            (void)space.remove(received.caps[i]);
        if (received.reply_handle != IPC_NO_HANDLE)
            (void)space.remove(received.reply_handle);
        return copied.release_error();
    }
    return {};
}

} // namespace ipc
