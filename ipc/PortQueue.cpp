// A port's queue and endpoint counts; see PortQueue.h.
#include <ipc/PortQueue.h>
#include <kernel/lib/Assertions.h>

namespace ipc {

PortQueue::~PortQueue()
{
    // Port drains the queue before it goes (the last receiver's removal).
    LIB_VERIFY(m_messages.is_empty());
}

PortQueue::SendOutcome PortQueue::enqueue(QueuedMessage& message, bool& wake)
{
    wake = false;
    if (m_receivers == 0)
        return SendOutcome::NoReceiver;
    if (m_messages.size() >= m_limit)
        return SendOutcome::Full;
    m_messages.push_back(message);
    wake = true;
    return SendOutcome::Queued;
}

PortQueue::ReceiveOutcome PortQueue::dequeue(QueuedMessage*& message, bool& wake)
{
    wake = false;
    message = m_messages.pop_front();
    if (message) {
        // A sender may be waiting for room.
        wake = m_messages.size() + 1 == m_limit;
        return ReceiveOutcome::Received;
    }
    return m_senders == 0 ? ReceiveOutcome::NoSender : ReceiveOutcome::Empty;
}

void PortQueue::add_endpoint(Endpoint endpoint)
{
    u8 bits = static_cast<u8>(endpoint);
    if (bits & static_cast<u8>(Endpoint::Send))
        ++m_senders;
    if (bits & static_cast<u8>(Endpoint::Receive))
        ++m_receivers;
}

void PortQueue::remove_endpoint(Endpoint endpoint, MessageList& drained, bool& wake)
{
    wake = false;
    u8 bits = static_cast<u8>(endpoint);
    if (bits & static_cast<u8>(Endpoint::Send)) {
        LIB_VERIFY(m_senders > 0);
        // A receiver blocked on an empty queue must learn that nothing comes.
        if (--m_senders == 0 && m_messages.is_empty())
            wake = true;
    }
    if (bits & static_cast<u8>(Endpoint::Receive)) {
        LIB_VERIFY(m_receivers > 0);
        if (--m_receivers == 0) {
            while (QueuedMessage* message = m_messages.pop_front())
                drained.push_back(*message);
            // Blocked senders fail now (EPIPE).
            wake = true;
        }
    }
}

} // namespace ipc
