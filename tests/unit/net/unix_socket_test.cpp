// AF_UNIX sockets on the host: addresses, the message queues (stream bytes
// across messages, records with truncation), send-buffer charging and the
// datagram queue limit, connection and backlog rules, shutdown and close
// effects, poll readiness, SCM_RIGHTS accounting and the collector of
// in-flight cycles, and a blocking reader woken by a writer through host
// wait hooks. Every test checks that no socket outlives it.
#include <condition_variable>
#include <gtest/gtest.h>
#include <mutex>
#include <net/socket/SocketFile.h>
#include <net/socket/Wait.h>
#include <net/unix/Collector.h>
#include <net/unix/UnixSocket.h>
#include <string>
#include <thread>

namespace {

using net::AddressKind;
using net::Message;
using net::SocketType;
using net::UnixSocket;

template<typename T>
int error_of(const ErrorOr<T>& result)
{
    return result.is_error() ? result.error().code() : 0;
}

constexpr net::PeerCredentials OWNER { 42, 1000, 100 };

NonnullRefPtr<UnixSocket> make(SocketType type)
{
    return UnixSocket::try_create(type, OWNER).release_value();
}

Message* message_of(const std::string& text)
{
    Message* message = Message::try_create(text.size()).release_value();
    memcpy(message->data(), text.data(), text.size());
    message->credentials = OWNER;
    return message;
}

ErrorOr<void> send_text(UnixSocket& socket, const std::string& text, UnixSocket* destination = nullptr)
{
    return socket.send(message_of(text), destination, true);
}

struct Text {
    int error;
    std::string text;
    net::Received received;
};

Text receive_text(UnixSocket& socket, usize size, u32 flags = 0)
{
    std::string buffer(size, '\0');
    net::ReceiveOptions options;
    options.flags = flags;
    options.nonblocking = true;
    auto result = socket.receive({ reinterpret_cast<u8*>(buffer.data()), size }, options);
    if (result.is_error())
        return { result.error().code(), "", {} };
    net::Received received = result.release_value();
    net::FileRights::destroy(received.rights);
    received.rights = nullptr;
    return { 0, buffer.substr(0, received.copied), received };
}

net::ParsedAddress abstract_name(const char* name)
{
    net::ParsedAddress parsed { AddressKind::Abstract, {} };
    parsed.address.path[0] = '\0';
    memcpy(parsed.address.path + 1, name, strlen(name));
    parsed.address.length = static_cast<u16>(1 + strlen(name));
    return parsed;
}

class UnixSocketTest : public ::testing::Test {
protected:
    void SetUp() override { m_before = net::live_unix_socket_count(); }
    void TearDown() override
    {
        net::set_socket_wait_hooks(nullptr);
        EXPECT_EQ(net::live_unix_socket_count(), m_before);
        EXPECT_EQ(net::sockets_in_flight(), 0u);
    }

    // A connected pair of bare sockets; release() them before they go.
    struct Pair {
        NonnullRefPtr<UnixSocket> a;
        NonnullRefPtr<UnixSocket> b;
        ~Pair()
        {
            a->release();
            b->release();
        }
    };
    Pair pair(SocketType type)
    {
        Pair p { make(type), make(type) };
        UnixSocket::connect_pair(*p.a, *p.b);
        return p;
    }

    i64 m_before { 0 };
};

TEST(UnixAddressTest, ParsesPathsAbstractNamesAndUnnamed)
{
    u8 raw[120] = { 1, 0 };
    memcpy(raw + 2, "/tmp/x", 6);
    auto path = net::parse_unix_address({ raw, 8 }).release_value(); // no NUL: the length ends it
    EXPECT_EQ(path.kind, AddressKind::Path);
    EXPECT_EQ(path.address.sockaddr_length(), 2u + 7u);
    EXPECT_EQ(std::string(path.address.path), "/tmp/x");
    raw[2] = 0;
    auto abstract = net::parse_unix_address({ raw, 8 }).release_value();
    EXPECT_EQ(abstract.kind, AddressKind::Abstract);
    EXPECT_EQ(abstract.address.sockaddr_length(), 8u);
    EXPECT_EQ(net::parse_unix_address({ raw, 2 }).release_value().kind, AddressKind::Unnamed);
    EXPECT_EQ(error_of(net::parse_unix_address({ raw, 1 })), EINVAL);
    EXPECT_EQ(error_of(net::parse_unix_address({ raw, 111 })), EINVAL);
    raw[0] = 2;
    EXPECT_EQ(error_of(net::parse_unix_address({ raw, 8 })), EINVAL);
    raw[0] = 0;
    EXPECT_EQ(net::parse_unix_address({ raw, 2 }).release_value().kind, AddressKind::Unspecified);
    // A full 108-byte path gets its NUL past sun_path, as on Linux.
    raw[0] = 1;
    memset(raw + 2, 'a', 108);
    auto longest = net::parse_unix_address({ raw, 110 }).release_value();
    EXPECT_EQ(longest.address.sockaddr_length(), 111u);
}

TEST_F(UnixSocketTest, StreamReadsAcrossMessagesAndStopsAtEof)
{
    auto p = pair(SocketType::Stream);
    ASSERT_EQ(error_of(send_text(*p.a, "one")), 0);
    ASSERT_EQ(error_of(send_text(*p.a, "two")), 0);
    EXPECT_EQ(receive_text(*p.b, 4).text, "onet");
    EXPECT_EQ(receive_text(*p.b, 2, net::message_flag::Peek).text, "wo");
    EXPECT_EQ(receive_text(*p.b, 100).text, "wo");
    EXPECT_EQ(receive_text(*p.b, 100).error, EAGAIN);
    p.a->release();
    Text eof = receive_text(*p.b, 100);
    EXPECT_EQ(eof.error, 0);
    EXPECT_EQ(eof.text, "");
    EXPECT_EQ(error_of(send_text(*p.b, "x")), EPIPE);
}

TEST_F(UnixSocketTest, ClosingWithUnreadDataResetsThePeer)
{
    auto p = pair(SocketType::Stream);
    ASSERT_EQ(error_of(send_text(*p.b, "unread")), 0);
    p.a->release();
    EXPECT_EQ(receive_text(*p.b, 10).error, ECONNRESET);
    EXPECT_EQ(receive_text(*p.b, 10).error, 0); // then EOF
}

TEST_F(UnixSocketTest, RecordsKeepBoundariesAndTruncate)
{
    for (SocketType type : { SocketType::Datagram, SocketType::SeqPacket }) {
        auto p = pair(type);
        ASSERT_EQ(error_of(send_text(*p.a, "abcdef")), 0);
        ASSERT_EQ(error_of(send_text(*p.a, "gh")), 0);
        Text first = receive_text(*p.b, 4);
        EXPECT_EQ(first.text, "abcd");
        EXPECT_TRUE(first.received.truncated);
        EXPECT_EQ(first.received.record_size, 6u);
        EXPECT_EQ(receive_text(*p.b, 100).text, "gh");
        ASSERT_EQ(error_of(send_text(*p.a, "")), 0);
        Text empty = receive_text(*p.b, 100);
        EXPECT_EQ(empty.error, 0);
        EXPECT_EQ(empty.received.record_size, 0u);
    }
}

TEST_F(UnixSocketTest, ARecordLargerThanAGuessedBufferStaysQueued)
{
    auto p = pair(SocketType::Datagram);
    ASSERT_EQ(error_of(send_text(*p.a, "a longer record")), 0);
    EXPECT_EQ(p.b->receive_size_hint(), 15u);
    std::string buffer(4, '\0');
    net::ReceiveOptions options;
    options.nonblocking = true;
    options.keep_larger_record = true;
    auto first = p.b->receive({ reinterpret_cast<u8*>(buffer.data()), buffer.size() }, options).release_value();
    EXPECT_TRUE(first.needs_larger_buffer);
    EXPECT_EQ(first.record_size, 15u);
    EXPECT_EQ(first.copied, 0u);
    EXPECT_EQ(receive_text(*p.b, 100).text, "a longer record");
    EXPECT_EQ(p.b->receive_size_hint(), 0u);
}

TEST_F(UnixSocketTest, SendBufferLimitsStreamAndDatagramSizes)
{
    auto p = pair(SocketType::Stream);
    usize chunk = p.a->stream_chunk_size();
    std::string big(chunk, 'x');
    int sent = 0;
    while (send_text(*p.a, big).is_error() == false)
        ++sent;
    EXPECT_GT(sent, 0);
    EXPECT_EQ(error_of(send_text(*p.a, "x")), EAGAIN);
    EXPECT_EQ(p.a->poll_readiness() & fs::poll_event::Out, 0u);
    // Draining gives the room back.
    while (receive_text(*p.b, 65536).error == 0) { }
    EXPECT_EQ(error_of(send_text(*p.a, "x")), 0);
    EXPECT_NE(p.a->poll_readiness() & fs::poll_event::Out, 0u);

    auto d = pair(SocketType::Datagram);
    std::string huge(net::DEFAULT_BUFFER_SIZE, 'y');
    EXPECT_EQ(error_of(send_text(*d.a, huge)), EMSGSIZE);
}

TEST_F(UnixSocketTest, DatagramQueueLimitForUnrelatedSenders)
{
    auto receiver = make(SocketType::Datagram);
    auto sender = make(SocketType::Datagram);
    int queued = 0;
    while (!send_text(*sender, "q", receiver.ptr()).is_error())
        ++queued;
    EXPECT_EQ(queued, static_cast<int>(net::MAX_DATAGRAM_QUEUE) + 1);
    EXPECT_EQ(receive_text(*receiver, 4).text, "q");
    EXPECT_EQ(error_of(send_text(*sender, "q", receiver.ptr())), 0);
    receiver->release();
    EXPECT_EQ(error_of(send_text(*sender, "q", receiver.ptr())), ECONNREFUSED);
    sender->release();
}

TEST_F(UnixSocketTest, ListenConnectAcceptAndBacklog)
{
    auto server = make(SocketType::Stream);
    EXPECT_EQ(error_of(server->listen(1, OWNER)), EINVAL); // not bound
    ASSERT_EQ(error_of(server->bind(abstract_name("unit-listener"), nullptr)), 0);
    auto other = make(SocketType::Stream);
    EXPECT_EQ(error_of(other->bind(abstract_name("unit-listener"), nullptr)), EADDRINUSE);
    ASSERT_EQ(error_of(server->listen(1, OWNER)), 0);
    EXPECT_EQ(UnixSocket::find_bound(abstract_name("unit-listener").address).ptr(), server.ptr());

    NonnullRefPtr<UnixSocket> clients[3]
        = { make(SocketType::Stream), make(SocketType::Stream), make(SocketType::Stream) };
    EXPECT_EQ(error_of(clients[0]->connect_stream(*server, make(SocketType::Stream), OWNER, true)), 0);
    EXPECT_EQ(error_of(clients[1]->connect_stream(*server, make(SocketType::Stream), OWNER, true)), 0);
    EXPECT_EQ(error_of(clients[2]->connect_stream(*server, make(SocketType::Stream), OWNER, true)), EAGAIN);
    auto dgram = make(SocketType::Datagram);
    EXPECT_EQ(error_of(dgram->connect_stream(*server, make(SocketType::Datagram), OWNER, true)), EPROTOTYPE);
    dgram->release();
    EXPECT_NE(server->poll_readiness() & fs::poll_event::In, 0u);

    ASSERT_EQ(error_of(send_text(*clients[0], "early")), 0);
    auto accepted = server->accept(true).release_value();
    EXPECT_EQ(receive_text(*accepted, 10).text, "early");
    EXPECT_EQ(accepted->local_address(), server->local_address());
    EXPECT_EQ(error_of(clients[0]->connect_stream(*server, make(SocketType::Stream), OWNER, true)), EISCONN);
    // The listener goes with one connection pending: its client is reset.
    server->release();
    EXPECT_EQ(receive_text(*clients[1], 4).error, ECONNRESET);
    EXPECT_EQ(error_of(clients[2]->connect_stream(*server, make(SocketType::Stream), OWNER, true)), ECONNREFUSED);
    accepted->release();
    other->release();
    for (auto& client : clients)
        client->release();
}

TEST_F(UnixSocketTest, AutobindGivesFiveHexDigits)
{
    auto socket = make(SocketType::Datagram);
    ASSERT_EQ(error_of(socket->bind({ AddressKind::Unnamed, {} }, nullptr)), 0);
    net::UnixAddress name = socket->local_address();
    ASSERT_EQ(name.length, 6u);
    EXPECT_EQ(name.path[0], '\0');
    for (int i = 1; i < 6; ++i)
        EXPECT_TRUE(isxdigit(static_cast<unsigned char>(name.path[i])));
    EXPECT_EQ(error_of(socket->bind({ AddressKind::Unnamed, {} }, nullptr)), 0); // already named: nothing to do
    EXPECT_EQ(error_of(socket->bind(abstract_name("later"), nullptr)), EINVAL);
    socket->release();
}

TEST_F(UnixSocketTest, ShutdownAndPollMasks)
{
    using namespace fs::poll_event;
    auto p = pair(SocketType::Stream);
    EXPECT_EQ(p.a->poll_readiness(), Out | net::socket_poll::WriteNormal | net::socket_poll::WriteBand);
    ASSERT_EQ(error_of(send_text(*p.b, "x")), 0);
    EXPECT_NE(p.a->poll_readiness() & In, 0u);
    EXPECT_EQ(receive_text(*p.a, 4).text, "x");
    ASSERT_EQ(error_of(p.b->shutdown(net::shutdown_bit::Send)), 0);
    u32 mask = p.a->poll_readiness();
    EXPECT_NE(mask & net::socket_poll::ReadHangUp, 0u);
    EXPECT_NE(mask & In, 0u);
    EXPECT_EQ(mask & HangUp, 0u);
    EXPECT_EQ(error_of(send_text(*p.b, "x")), EPIPE);
    p.b->release();
    mask = p.a->poll_readiness();
    EXPECT_NE(mask & HangUp, 0u);

    auto fresh = make(SocketType::Stream);
    EXPECT_NE(fresh->poll_readiness() & HangUp, 0u); // unconnected stream, as Linux
    fresh->release();
}

TEST_F(UnixSocketTest, BlockingReaderWakesForAWriter)
{
    static std::mutex mutex;
    static std::condition_variable condition;
    static const net::SocketWaitHooks hooks {
        [](const void*, net::SocketWaitHooks::Condition ready, const void* argument, u64) {
            std::unique_lock lock(mutex);
            condition.wait(lock, [&] { return ready(argument); });
            return 0;
        },
        [](const void*) {
            std::lock_guard lock(mutex);
            condition.notify_all();
        },
        []() -> u64 { return 0; },
    };
    net::set_socket_wait_hooks(&hooks);
    auto p = pair(SocketType::SeqPacket);
    std::thread writer([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        ASSERT_EQ(error_of(send_text(*p.a, "wake")), 0);
    });
    std::string buffer(16, '\0');
    net::ReceiveOptions options;
    auto received = p.b->receive({ reinterpret_cast<u8*>(buffer.data()), buffer.size() }, options);
    writer.join();
    ASSERT_FALSE(received.is_error());
    EXPECT_EQ(buffer.substr(0, received.value().copied), "wake");
}

TEST_F(UnixSocketTest, RightsAreCountedAndCyclesCollected)
{
    auto a = make(SocketType::Stream);
    auto b = make(SocketType::Stream);
    UnixSocket::connect_pair(*a, *b);
    RefPtr<net::SocketFile> file_a = net::SocketFile::try_create(a, 0).release_value();
    RefPtr<net::SocketFile> file_b = net::SocketFile::try_create(b, 0).release_value();
    // b's own description queued on b (sent from a), then every outside reference dropped.
    Message* message = message_of("c");
    message->rights = net::FileRights::try_create(2).release_value();
    message->rights->append(*file_b);
    message->rights->append(*file_a);
    ASSERT_EQ(error_of(a->send(message, nullptr, true)), 0);
    EXPECT_EQ(net::sockets_in_flight(), 2u);
    EXPECT_EQ(net::Collector::collect(), 0u); // still reachable through our references
    file_a = nullptr;
    file_b = nullptr;
    EXPECT_EQ(net::live_unix_socket_count(), m_before + 2);
    EXPECT_EQ(net::Collector::collect(), 2u);
    EXPECT_EQ(net::sockets_in_flight(), 0u);
}

TEST_F(UnixSocketTest, AListenerQueuedOnItsOwnPendingConnectionIsCollected)
{
    auto server = make(SocketType::Stream);
    ASSERT_EQ(error_of(server->bind(abstract_name("unit-embryo"), nullptr)), 0);
    ASSERT_EQ(error_of(server->listen(4, OWNER)), 0);
    RefPtr<net::SocketFile> server_file = net::SocketFile::try_create(server, 0).release_value();
    auto client = make(SocketType::Stream);
    ASSERT_EQ(error_of(client->connect_stream(*server, make(SocketType::Stream), OWNER, true)), 0);
    // The listener's description waits in the queue of its own unaccepted connection.
    Message* message = message_of("l");
    message->rights = net::FileRights::try_create(1).release_value();
    message->rights->append(*server_file);
    ASSERT_EQ(error_of(client->send(message, nullptr, true)), 0);
    server_file = nullptr;
    EXPECT_EQ(net::Collector::collect(), 1u);
    EXPECT_EQ(receive_text(*client, 4).error, ECONNRESET); // the listener went with the connection
    client->release();
}

TEST_F(UnixSocketTest, ReceivedRightsLeaveTheInFlightCount)
{
    auto p = pair(SocketType::Datagram);
    auto inner = make(SocketType::Stream);
    RefPtr<net::SocketFile> file = net::SocketFile::try_create(inner, 0).release_value();
    Message* message = message_of("r");
    message->rights = net::FileRights::try_create(1).release_value();
    message->rights->append(*file);
    ASSERT_EQ(error_of(p.a->send(message, nullptr, true)), 0);
    EXPECT_EQ(net::sockets_in_flight(), 1u);
    std::string buffer(4, '\0');
    net::ReceiveOptions options;
    options.nonblocking = true;
    auto received = p.b->receive({ reinterpret_cast<u8*>(buffer.data()), buffer.size() }, options).release_value();
    ASSERT_NE(received.rights, nullptr);
    EXPECT_EQ(received.rights->count(), 1u);
    EXPECT_EQ(net::sockets_in_flight(), 0u);
    net::FileRights::destroy(received.rights);
    file = nullptr;
}

} // namespace
