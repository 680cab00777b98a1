#pragma once

// An AF_UNIX socket (unix(7)): the connection state, the receive queue, the
// pending connections of a listener, the bound name and the options. The
// system-call layer (kernel/syscalls/Sockets.cpp) moves bytes between user
// memory and kernel messages; everything a program can observe about the
// socket itself is decided here, following Linux's net/unix/af_unix.c:
//
//   - stream: bytes, read across message boundaries; a sender is charged for
//     the bytes it has queued and blocks while that reaches its SO_SNDBUF;
//   - datagram and seqpacket: records, one per read, the rest of a record
//     that does not fit dropped (MSG_TRUNC); a datagram larger than
//     SO_SNDBUF - 32 is EMSGSIZE; a receiver not connected back to the
//     sender takes at most MAX_DATAGRAM_QUEUE + 1 records;
//   - connect on stream and seqpacket queues a new server-side socket, already
//     connected, on the listener (at most backlog + 1 of them) for accept;
//     on datagram sockets it sets the default destination;
//   - closing a connected stream or seqpacket end shuts the peer down both
//     ways (EOF to its reads, EPIPE to its writes), with ECONNRESET first
//     when unread data was dropped.
//
// Locking: one lock (unix_lock(), a spinlock) guards the state of every unix
// socket, the namespace of bound names and the in-flight accounting of the
// collector (Collector.h). Nothing is allocated, copied from user memory or
// released under it: messages are built before and freed after. State
// changes bump the generation of each socket they concern after the lock is
// dropped and wake it (Wait.h), and report it to poll (fs::readiness_changed).
#include <fs/vfs/Vnode.h>
#include <kernel/lib/Atomic.h>
#include <kernel/lib/Spinlock.h>
#include <net/unix/Address.h>
#include <net/unix/Message.h>

namespace net {

class SocketFile;
class NotifyList;

enum class SocketType : u8 {
    Stream = 1,
    Datagram = 2,
    SeqPacket = 5,
};

inline constexpr u32 DEFAULT_BUFFER_SIZE = 212992; // Linux's wmem_default and rmem_default
inline constexpr u32 MAX_BUFFER_SIZE = 212992;     // Linux's wmem_max and rmem_max
inline constexpr u32 MIN_SEND_BUFFER = 4608;
inline constexpr u32 MIN_RECEIVE_BUFFER = 2304;
inline constexpr usize MAX_DATAGRAM_QUEUE = 10; // net.unix.max_dgram_qlen
inline constexpr int MAX_BACKLOG = 4096;        // net.core.somaxconn
inline constexpr usize MESSAGE_OVERHEAD = 256;  // charged per message besides its payload

// shutdown bits, as Linux keeps them per socket.
namespace shutdown_bit {
inline constexpr u8 Receive = 1;
inline constexpr u8 Send = 2;
inline constexpr u8 Both = 3;
} // namespace shutdown_bit

// What a change concerns, for the waiters to wake (any change is reported
// to poll).
namespace change {
inline constexpr u8 Readiness = 0; // only poll's business
inline constexpr u8 Data = 1;      // readers: data, connections, state
inline constexpr u8 Room = 2;      // writers: send budget or queue room
inline constexpr u8 All = 3;
} // namespace change

// recv/send flags the core understands (Linux values).
namespace message_flag {
inline constexpr u32 Peek = 0x2;
inline constexpr u32 ControlTruncated = 0x8;
inline constexpr u32 Truncate = 0x20;
inline constexpr u32 DontWait = 0x40;
inline constexpr u32 WaitAll = 0x100;
inline constexpr u32 NoSignal = 0x4000;
} // namespace message_flag

// poll bits sockets report, Linux values (POLLIN etc. are in fs::poll_event).
namespace socket_poll {
inline constexpr u32 ReadNormal = 0x040;
inline constexpr u32 WriteNormal = 0x100;
inline constexpr u32 WriteBand = 0x200;
inline constexpr u32 ReadHangUp = 0x2000;
} // namespace socket_poll

Spinlock& unix_lock();

struct ReceiveOptions {
    u32 flags { 0 }; // message_flag bits
    bool nonblocking { false };
    // MSG_PEEK of a message with rights copies references here (empty,
    // allocated by the caller); without it peeked rights are not reported.
    FileRights* peek_rights { nullptr };
    // A record larger than the buffer stays queued and the result says how
    // large it is (the caller asks again with room for it).
    bool keep_larger_record { false };
};

struct Received {
    usize copied { 0 };      // bytes placed in the buffer
    usize record_size { 0 }; // datagram/seqpacket: the whole record
    bool truncated { false };
    FileRights* rights { nullptr }; // owned by the caller
    PeerCredentials credentials;
    UnixAddress source;                 // datagram: the sender's name (unnamed if none)
    bool needs_larger_buffer { false }; // keep_larger_record: nothing was taken
};

class UnixSocket : public RefCounted<UnixSocket> {
public:
    static ErrorOr<NonnullRefPtr<UnixSocket>> try_create(SocketType type, const PeerCredentials& owner);
    ~UnixSocket();

    // socketpair: connects two fresh sockets of one type to each other.
    static void connect_pair(UnixSocket& first, UnixSocket& second);

    SocketType type() const { return m_type; }
    bool is_connection_based() const { return m_type != SocketType::Datagram; }

    // bind with a name already parsed: `vnode` is the socket inode made for a
    // filesystem path (null otherwise); an unnamed address autobinds.
    // EINVAL if already bound, EADDRINUSE for a taken abstract name.
    ErrorOr<void> bind(const ParsedAddress& address, RefPtr<fs::Vnode> vnode);
    // Gives the socket an abstract "\0xxxxx" name if it has none.
    ErrorOr<void> autobind();
    bool is_bound() const;
    // `credentials` (the listener's) become what connecting clients see
    // as SO_PEERCRED.
    ErrorOr<void> listen(int backlog, const PeerCredentials& credentials);
    // The next pending connection (EAGAIN/EINTR/ETIMEDOUT while none).
    ErrorOr<NonnullRefPtr<UnixSocket>> accept(bool nonblocking);
    // Stream and seqpacket: connects to the listener `server`, `server_side`
    // being a fresh socket to queue on it. Datagram: sets (or with null,
    // clears) the default destination.
    ErrorOr<void> connect_stream(UnixSocket& server, NonnullRefPtr<UnixSocket> server_side,
        const PeerCredentials& credentials, bool nonblocking);
    ErrorOr<void> connect_datagram(const RefPtr<UnixSocket>& peer);

    // Queues `message` (ownership passes in, also on error) for the peer or,
    // for datagrams, `destination` when given. Stream messages are limited
    // by the send buffer; callers split large writes. EPIPE, ENOTCONN,
    // ECONNREFUSED, EPERM, EMSGSIZE, EAGAIN, EINTR.
    ErrorOr<void> send(Message* message, UnixSocket* destination, bool nonblocking);
    // The largest stream message worth building now.
    usize stream_chunk_size() const;

    // Reads into `buffer` (see Received).
    ErrorOr<Received> receive(Bytes buffer, const ReceiveOptions& options);
    // What a read could take now: the queued bytes of a stream, the size of
    // the next record, 0 when nothing is queued.
    usize receive_size_hint() const;

    ErrorOr<void> shutdown(u8 bits);
    // The events of poll(2) ready now.
    u32 poll_readiness() const;

    UnixAddress local_address() const;
    ErrorOr<UnixAddress> peer_address() const;
    PeerCredentials peer_credentials() const;
    bool is_listening() const;
    // SO_ERROR: the pending error, cleared.
    int take_error();

    u32 send_buffer() const { return m_send_buffer.load(MemoryOrder::Relaxed); }
    u32 receive_buffer() const { return m_receive_buffer.load(MemoryOrder::Relaxed); }
    void set_send_buffer(u32 bytes);
    void set_receive_buffer(u32 bytes);
    bool passes_credentials() const { return m_pass_credentials.load(MemoryOrder::Relaxed); }
    void set_pass_credentials(bool on) { m_pass_credentials.store(on, MemoryOrder::Relaxed); }
    u64 receive_timeout_ns() const { return m_receive_timeout_ns.load(MemoryOrder::Relaxed); }
    u64 send_timeout_ns() const { return m_send_timeout_ns.load(MemoryOrder::Relaxed); }
    void set_receive_timeout_ns(u64 ns) { m_receive_timeout_ns.store(ns, MemoryOrder::Relaxed); }
    void set_send_timeout_ns(u64 ns) { m_send_timeout_ns.store(ns, MemoryOrder::Relaxed); }
    bool is_connected() const;

    // The description this socket is open as (SocketFile), for the
    // collector; set and cleared by SocketFile.
    void attach_file(SocketFile* file);
    // The last description went away: disconnect, unbind, drop the queue.
    void release();

    // An identity for st_ino.
    u64 id() const { return m_id; }
    // Readers (data, state) wait on the socket itself, writers waiting for
    // room on room_key(): separate generations, so draining a queue does not
    // wake the sender's own reader, nor new data its writer.
    const Atomic<u32>& generation(u8 kind) const { return kind == change::Room ? m_room_generation : m_generation; }
    const void* wait_key(u8 kind) const
    {
        return kind == change::Room ? static_cast<const void*>(&m_room_generation) : this;
    }
    // After a change: bumps the generations named by `changes`, wakes their
    // waiters, and tells poll.
    void notify(u8 changes = change::All);

    // Bound sockets (unix_lock held): the socket bound to `address`
    // (abstract) or to the socket inode `vnode`.
    static RefPtr<UnixSocket> find_bound(const UnixAddress& address);
    static RefPtr<UnixSocket> find_bound(const fs::Vnode& vnode);

private:
    friend class Collector;
    UnixSocket(SocketType type, const PeerCredentials& owner, u64 id);
    // The list of every live socket (for the collector, with the all-list lock).
    static UnixSocket* all_sockets_head();
    static Spinlock& all_sockets_lock();

    ErrorOr<void> autobind_locked();
    bool writable_locked() const;
    void collect_into_locked(MessageQueue& out, NotifyList& notify);
    void settle_dequeued_locked(Message& message);
    bool receive_stream_locked(
        Bytes buffer, const ReceiveOptions& options, Received& received, MessageQueue& finished, NotifyList& notify);
    bool receive_record_locked(
        Bytes buffer, const ReceiveOptions& options, Received& received, MessageQueue& finished, NotifyList& notify);
    static void copy_rights_locked(const FileRights& source, FileRights& copy, Received& received);

    SocketType m_type;
    u64 m_id;
    Atomic<u32> m_generation { 0 };

    // All below guarded by unix_lock().
    enum class State : u8 {
        Unconnected,
        Listening,
        Connected, // stream/seqpacket with a peer, or datagram with a default destination
    };
    State m_state { State::Unconnected };
    u8 m_shutdown { 0 };
    int m_error { 0 };
    RefPtr<UnixSocket> m_peer;
    bool m_released { false };
    MessageQueue m_queue;
    // A listener's pending server-side sockets.
    UnixSocket* m_pending_head { nullptr };
    UnixSocket* m_pending_tail { nullptr };
    UnixSocket* m_pending_next { nullptr }; // link while pending (the queue holds a reference)
    bool m_pending_in_listener { false };   // queued on a listener, not accepted yet
    usize m_pending_count { 0 };
    int m_backlog { 0 };
    UnixAddress m_address;
    bool m_bound { false };
    RefPtr<fs::Vnode> m_vnode;
    PeerCredentials m_owner;
    PeerCredentials m_peer_credentials;
    usize m_send_charge { 0 }; // bytes of this socket's messages queued anywhere
    SocketFile* m_file { nullptr };
    usize m_in_flight { 0 };       // how many queued SCM_RIGHTS references name m_file
    bool m_gc_candidate { false }; // collector marks
    bool m_gc_live { false };

    Atomic<u32> m_send_buffer { DEFAULT_BUFFER_SIZE };
    Atomic<u32> m_receive_buffer { DEFAULT_BUFFER_SIZE };
    Atomic<bool> m_pass_credentials { false };
    Atomic<u64> m_receive_timeout_ns { 0 };
    Atomic<u64> m_send_timeout_ns { 0 };

    // Every live socket, for the count and the collector.
    UnixSocket* m_all_previous { nullptr };
    UnixSocket* m_all_next { nullptr };

    // Last, far from `this`: its address is the writers' wait key, and the
    // kernel hashes keys by 64-byte line, so the two kinds of waiters land in
    // different queues.
    Atomic<u32> m_room_generation { 0 };
};

// Unix sockets alive right now (a debugging counter, /proc/sockstat).
i64 live_unix_socket_count();

} // namespace net
