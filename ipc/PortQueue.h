#pragma once

// The state of one port without its locking and blocking: the bounded FIFO
// of queued messages and the number of endpoints that can send and receive
// (seed section 1.3, Port; docs/ipc.md, "Lifetimes"). Port.h wraps it in a
// spinlock and a wait queue; the host tests drive it directly.
//
// Rules:
//  - at most IPC_QUEUE_LIMIT messages; enqueue answers Full beyond that, and
//    NoReceiver once the last RECEIVE endpoint is gone;
//  - messages leave in the order they came (so in order per sender);
//  - dequeue answers NoSender only when the queue is empty and no SEND
//    endpoint is left (queued messages are still delivered first);
//  - when the last RECEIVE endpoint goes, the queued messages are handed
//    back to the caller (drained) to be destroyed outside the lock, which
//    closes the capabilities they carry.
// Every call that changes what a blocked sender or receiver would see
// returns true in `wake` so the caller wakes the waiters.
//
// Locking: none here; Port holds its spinlock around every call.
#include <kernel/api/ipc.h>
#include <kernel/lib/IntrusiveList.h>
#include <kernel/lib/Types.h>

namespace ipc {

struct QueuedMessage {
    lib::IntrusiveListNode node;
};

using MessageList = lib::IntrusiveList<QueuedMessage, &QueuedMessage::node>;

enum class Endpoint : u8 {
    None = 0,
    Send = 1,
    Receive = 2,
    SendReceive = 3,
};

class PortQueue {
public:
    enum class SendOutcome : u8 {
        Queued,
        Full,
        NoReceiver,
    };
    enum class ReceiveOutcome : u8 {
        Received,
        Empty,
        NoSender,
    };

    explicit PortQueue(usize limit = IPC_QUEUE_LIMIT)
        : m_limit(limit)
    {
    }
    PortQueue(const PortQueue&) = delete;
    PortQueue& operator=(const PortQueue&) = delete;
    ~PortQueue();

    usize size() const { return m_messages.size(); }
    usize limit() const { return m_limit; }
    u32 senders() const { return m_senders; }
    u32 receivers() const { return m_receivers; }

    // port_receive would not block: a message is queued, or none can come.
    bool is_readable() const { return !m_messages.is_empty() || m_senders == 0; }
    // port_send would not block: there is room, or no receiver is left.
    bool is_writable() const { return m_messages.size() < m_limit || m_receivers == 0; }

    SendOutcome enqueue(QueuedMessage& message, bool& wake);
    // The oldest message, left queued (to check that it fits the caller).
    QueuedMessage* front() const { return m_messages.first(); }
    ReceiveOutcome dequeue(QueuedMessage*& message, bool& wake);

    void add_endpoint(Endpoint endpoint);
    // Moves the queued messages into `drained` when the last receiver goes.
    void remove_endpoint(Endpoint endpoint, MessageList& drained, bool& wake);

private:
    MessageList m_messages;
    usize m_limit;
    u32 m_senders { 0 };
    u32 m_receivers { 0 };
};

// What a handle with `rights` counts as.
constexpr Endpoint endpoint_for(u32 rights)
{
    u8 value = ((rights & IPC_RIGHT_SEND) ? 1 : 0) | ((rights & IPC_RIGHT_RECEIVE) ? 2 : 0);
    return static_cast<Endpoint>(value);
}

} // namespace ipc
