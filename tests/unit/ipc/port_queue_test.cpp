// A port's queue and endpoint counts (ipc/PortQueue.h): the 64-message
// bound, FIFO order, the wake-up decisions, and the lifetimes (last
// receiver: senders fail and the queue drains; last sender: an empty queue
// reports NoSender only after the queued messages).
#include <gtest/gtest.h>
#include <ipc/PortQueue.h>

namespace {

using ipc::Endpoint;
using ipc::PortQueue;

struct TestMessage : ipc::QueuedMessage {
    int id { 0 };
};

int id_of(ipc::QueuedMessage* message)
{
    return static_cast<TestMessage*>(message)->id;
}

class IpcPortQueue : public ::testing::Test {
protected:
    IpcPortQueue()
    {
        for (usize i = 0; i < MESSAGE_COUNT; ++i)
            m_messages[i].id = static_cast<int>(i);
    }
    ~IpcPortQueue() override
    {
        // Unlink anything left so the queue's destructor check holds.
        bool wake = false;
        ipc::MessageList drained;
        while (m_queue.receivers())
            m_queue.remove_endpoint(Endpoint::Receive, drained, wake);
        drained.clear();
    }

    static constexpr usize MESSAGE_COUNT = IPC_QUEUE_LIMIT + 8;
    TestMessage m_messages[MESSAGE_COUNT];
    PortQueue m_queue;
};

TEST_F(IpcPortQueue, BoundedAtSixtyFourInFifoOrder)
{
    m_queue.add_endpoint(Endpoint::SendReceive);
    bool wake = false;
    for (u32 i = 0; i < IPC_QUEUE_LIMIT; ++i) {
        ASSERT_EQ(m_queue.enqueue(m_messages[i], wake), PortQueue::SendOutcome::Queued);
        EXPECT_TRUE(wake); // a receiver may wait
    }
    EXPECT_FALSE(m_queue.is_writable());
    EXPECT_EQ(m_queue.enqueue(m_messages[IPC_QUEUE_LIMIT], wake), PortQueue::SendOutcome::Full);
    EXPECT_FALSE(wake);
    for (u32 i = 0; i < IPC_QUEUE_LIMIT; ++i) {
        ipc::QueuedMessage* taken = nullptr;
        ASSERT_EQ(m_queue.dequeue(taken, wake), PortQueue::ReceiveOutcome::Received);
        EXPECT_EQ(id_of(taken), static_cast<int>(i));
        // Only the receive that makes room in a full queue wakes senders.
        EXPECT_EQ(wake, i == 0);
    }
    ipc::QueuedMessage* taken = nullptr;
    EXPECT_EQ(m_queue.dequeue(taken, wake), PortQueue::ReceiveOutcome::Empty);
    EXPECT_FALSE(m_queue.is_readable());
    ipc::MessageList none;
    m_queue.remove_endpoint(Endpoint::Send, none, wake);
}

TEST_F(IpcPortQueue, LastReceiverFailsSendersAndDrains)
{
    m_queue.add_endpoint(Endpoint::Send);
    m_queue.add_endpoint(Endpoint::Receive);
    m_queue.add_endpoint(Endpoint::Receive);
    bool wake = false;
    for (int i = 0; i < 3; ++i)
        m_queue.enqueue(m_messages[i], wake);
    ipc::MessageList drained;
    m_queue.remove_endpoint(Endpoint::Receive, drained, wake);
    EXPECT_FALSE(wake); // one receiver is left
    EXPECT_TRUE(drained.is_empty());
    m_queue.remove_endpoint(Endpoint::Receive, drained, wake);
    EXPECT_TRUE(wake); // blocked senders must learn at once
    EXPECT_EQ(drained.size(), 3u);
    EXPECT_EQ(id_of(drained.first()), 0);
    EXPECT_EQ(m_queue.size(), 0u);
    EXPECT_EQ(m_queue.enqueue(m_messages[5], wake), PortQueue::SendOutcome::NoReceiver);
    EXPECT_TRUE(m_queue.is_writable()); // a send would not block: it fails
    drained.clear();
    m_queue.remove_endpoint(Endpoint::Send, drained, wake);
}

TEST_F(IpcPortQueue, LastSenderEndsReceivesAfterTheQueuedMessages)
{
    m_queue.add_endpoint(Endpoint::Send);
    m_queue.add_endpoint(Endpoint::Receive);
    bool wake = false;
    m_queue.enqueue(m_messages[0], wake);
    ipc::MessageList drained;
    m_queue.remove_endpoint(Endpoint::Send, drained, wake);
    EXPECT_FALSE(wake); // a message is still queued: no receiver is blocked
    ipc::QueuedMessage* taken = nullptr;
    EXPECT_EQ(m_queue.dequeue(taken, wake), PortQueue::ReceiveOutcome::Received);
    EXPECT_EQ(m_queue.dequeue(taken, wake), PortQueue::ReceiveOutcome::NoSender);
    EXPECT_TRUE(m_queue.is_readable()); // a receive would not block: it fails
}

TEST_F(IpcPortQueue, LastSenderWakesABlockedReceiver)
{
    m_queue.add_endpoint(Endpoint::Send);
    m_queue.add_endpoint(Endpoint::Send);
    m_queue.add_endpoint(Endpoint::Receive);
    bool wake = false;
    ipc::MessageList drained;
    m_queue.remove_endpoint(Endpoint::Send, drained, wake);
    EXPECT_FALSE(wake);
    m_queue.remove_endpoint(Endpoint::Send, drained, wake);
    EXPECT_TRUE(wake);
}

TEST(IpcEndpoint, FromRights)
{
    EXPECT_EQ(ipc::endpoint_for(0), Endpoint::None);
    EXPECT_EQ(ipc::endpoint_for(IPC_RIGHT_SEND | IPC_RIGHT_DUPLICATE), Endpoint::Send);
    EXPECT_EQ(ipc::endpoint_for(IPC_RIGHT_RECEIVE), Endpoint::Receive);
    EXPECT_EQ(ipc::endpoint_for(IPC_RIGHTS_PORT_CREATOR), Endpoint::SendReceive);
}

} // namespace
