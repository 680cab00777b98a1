// The C++ IPC layer; see IpcClient.h.
#include "IpcClient.h"

#include <errno.h>
#include <string.h>

namespace osprey::ipc {

namespace {

int result_of(int value)
{
    return value < 0 ? -errno : value;
}

struct osprey_ipc_message message_for(uint32_t type, const void* payload, uint32_t length)
{
    struct osprey_ipc_message message;
    memset(&message, 0, sizeof message);
    message.type = type;
    message.payload = const_cast<void*>(payload);
    message.payload_length = length;
    return message;
}

} // namespace

Handle::Handle(Handle&& other)
    : m_value(other.release())
{
}

Handle& Handle::operator=(Handle&& other)
{
    if (this != &other)
        reset(other.release());
    return *this;
}

int Handle::release()
{
    int value = m_value;
    m_value = IPC_NO_HANDLE;
    return value;
}

void Handle::reset(int value)
{
    if (m_value >= 0)
        cap_close(m_value);
    m_value = value;
}

int ServiceClient::connect(const char* name)
{
    int handle = service_lookup(name, IPC_CLOEXEC);
    if (handle < 0)
        return -errno;
    m_port.reset(handle);
    return 0;
}

int ServiceClient::call(
    const void* request, uint32_t length, void* reply, uint32_t capacity, uint32_t& reply_length, uint64_t timeout_ns)
{
    if (!m_port.is_valid())
        return -ENOENT;
    struct osprey_ipc_message outgoing = message_for(IPC_MSG_REQUEST, request, length);
    struct osprey_ipc_message incoming = message_for(0, reply, 0);
    incoming.payload_capacity = capacity;
    if (port_call(m_port.get(), &outgoing, &incoming, timeout_ns) < 0)
        return -errno;
    // Capabilities in a reply are not part of these text protocols: close them.
    for (uint32_t i = 0; i < incoming.cap_count && i < IPC_MAX_CAPS; ++i)
        cap_close(incoming.caps[i]);
    reply_length = incoming.payload_length;
    return 0;
}

int ServiceClient::notify(const void* payload, uint32_t length)
{
    struct osprey_ipc_message outgoing = message_for(IPC_MSG_NOTIFICATION, payload, length);
    return result_of(port_send(m_port.get(), &outgoing, IPC_NO_TIMEOUT));
}

int Service::start(const char* name)
{
    Handle port(port_create(IPC_CLOEXEC));
    if (!port.is_valid())
        return -errno;
    if (service_register(port.get(), name) < 0)
        return -errno;
    // Keep only RECEIVE: the registry holds the SEND right clients copy.
    Handle receiver(cap_diminish(port.get(), IPC_RIGHT_RECEIVE, 0, IPC_CLOEXEC));
    if (!receiver.is_valid())
        return -errno;
    m_port = static_cast<Handle&&>(receiver);
    return 0;
}

int Service::receive(Request& request)
{
    struct osprey_ipc_message incoming = message_for(0, request.payload, 0);
    incoming.payload_capacity = IPC_MAX_PAYLOAD;
    if (port_receive(m_port.get(), &incoming, IPC_NO_TIMEOUT) < 0)
        return -errno;
    for (uint32_t i = 0; i < incoming.cap_count && i < IPC_MAX_CAPS; ++i)
        cap_close(incoming.caps[i]);
    request.sender = incoming.sender;
    request.type = incoming.type;
    request.length = incoming.payload_length;
    request.payload[request.length] = '\0';
    request.reply_handle = incoming.reply_handle;
    return 0;
}

int Service::reply(Request& request, const void* payload, uint32_t length)
{
    if (request.reply_handle < 0)
        return -EINVAL;
    struct osprey_ipc_message outgoing = message_for(IPC_MSG_REPLY, payload, length);
    int result = port_reply(request.reply_handle, &outgoing);
    int error = errno;
    // port_reply closed the handle unless the reply never got that far.
    if (result < 0 && error != EPIPE)
        cap_close(request.reply_handle);
    request.reply_handle = IPC_NO_HANDLE;
    return result < 0 ? -error : 0;
}

} // namespace osprey::ipc
