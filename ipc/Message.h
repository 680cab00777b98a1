#pragma once

// A message in a port's queue (seed section 1.2): the header, the payload
// (up to IPC_MAX_PAYLOAD bytes, stored right after the object) and the
// capabilities it carries (up to IPC_MAX_CAPS), which left the sender's
// handle table when it was sent and enter the receiver's when it is
// received. port_call adds the reply endpoint, which becomes the receiver's
// reply handle. Destroying a message that was never received closes every
// capability in it.
#include <ipc/Port.h>

namespace ipc {

// A capability on its way: the endpoint plus what the handle table entry
// held.
struct CapabilityInFlight {
    PortRef port;
    Rights rights { 0 };
    u32 flags { 0 };
    u64 expiry_ns { 0 };
};

class Message : public QueuedMessage {
public:
    // ENOMEM. `payload_length` <= IPC_MAX_PAYLOAD (checked by the caller).
    static ErrorOr<Message*> allocate(u32 payload_length);
    static void destroy(Message* message);

    u8* payload() { return reinterpret_cast<u8*>(this + 1); }
    // Handle slots the receiver needs.
    usize handle_count() const { return cap_count + (reply ? 1 : 0); }

    i32 sender { 0 };
    u32 type { IPC_MSG_DATA };
    u32 payload_length { 0 };
    u32 cap_count { 0 };
    CapabilityInFlight caps[IPC_MAX_CAPS];
    PortRef reply; // port_call: SEND to the caller's reply port

private:
    Message() = default;
    ~Message() = default;
};

// Owns a message until it is queued or received (destroys it otherwise).
class OwnedMessage {
public:
    explicit OwnedMessage(Message* message)
        : m_message(message)
    {
    }
    OwnedMessage(const OwnedMessage&) = delete;
    OwnedMessage& operator=(const OwnedMessage&) = delete;
    ~OwnedMessage()
    {
        if (m_message)
            Message::destroy(m_message);
    }
    Message* operator->() const { return m_message; }
    Message& operator*() const { return *m_message; }
    Message* release()
    {
        Message* message = m_message;
        m_message = nullptr;
        return message;
    }

private:
    Message* m_message;
};

} // namespace ipc
