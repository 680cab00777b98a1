// AF_UNIX sockets (see UnixSocket.h for the rules and the locking).
#include <fs/vfs/Readiness.h>
#include <kernel/lib/Placement.h>
#include <net/socket/SocketFile.h>
#include <net/socket/Wait.h>
#include <net/unix/Collector.h>
#include <net/unix/Notify.h>
#include <net/unix/UnixSocket.h>

namespace net {

namespace {

constinit Spinlock s_unix_lock;
constinit Spinlock s_all_lock; // a leaf: guards only the list of all sockets
UnixSocket* s_all_head = nullptr;
constinit Atomic<i64> s_live_sockets { 0 };
constinit Atomic<u64> s_next_id { 1 };
u32 s_next_autobind = 0; // guarded by s_unix_lock

// What a blocking operation does after a failed attempt: sleep on `key`
// until the generation of the kind of change it needs moves past `seen`.
struct WaitPlan {
    RefPtr<UnixSocket> key;
    u8 kind { change::Data };
    u32 seen { 0 };
};

// Sleeps as the plan says; the error to return instead of retrying, if any.
ErrorOr<void> sleep_on(WaitPlan& plan, u64 deadline)
{
    int result = wait_for_change(plan.key->wait_key(plan.kind), plan.key->generation(plan.kind), plan.seen, deadline);
    plan.key = nullptr;
    if (result == 0)
        return {};
    if (result == ETIMEDOUT)
        return Error::from_errno(EAGAIN);
    return Error::from_errno(result);
}

void plan_wait(WaitPlan& plan, UnixSocket& key, u8 kind)
{
    plan.key = key;
    plan.kind = kind;
    plan.seen = key.generation(kind).load(MemoryOrder::Acquire);
}

} // namespace

Spinlock& unix_lock()
{
    return s_unix_lock;
}

UnixSocket* UnixSocket::all_sockets_head()
{
    return s_all_head;
}

Spinlock& UnixSocket::all_sockets_lock()
{
    return s_all_lock;
}

i64 live_unix_socket_count()
{
    return s_live_sockets.load(MemoryOrder::Relaxed);
}

ErrorOr<NonnullRefPtr<UnixSocket>> UnixSocket::try_create(SocketType type, const PeerCredentials& owner)
{
    return adopt_nonnull_ref_or_enomem(
        new (std::nothrow) UnixSocket(type, owner, s_next_id.fetch_add(1, MemoryOrder::Relaxed)));
}

UnixSocket::UnixSocket(SocketType type, const PeerCredentials& owner, u64 id)
    : m_type(type)
    , m_id(id)
    , m_owner(owner)
{
    s_live_sockets.fetch_add(1, MemoryOrder::Relaxed);
    SpinlockGuard guard(s_all_lock);
    m_all_next = s_all_head;
    if (s_all_head)
        s_all_head->m_all_previous = this;
    s_all_head = this;
}

UnixSocket::~UnixSocket()
{
    {
        SpinlockGuard guard(s_all_lock);
        if (m_all_previous)
            m_all_previous->m_all_next = m_all_next;
        else
            s_all_head = m_all_next;
        if (m_all_next)
            m_all_next->m_all_previous = m_all_previous;
    }
    // release() emptied the queue of a socket that had a description; a
    // server-side socket never accepted was released by its listener.
    m_queue.destroy_all();
    s_live_sockets.fetch_sub(1, MemoryOrder::Relaxed);
}

void UnixSocket::notify(u8 changes)
{
    if (changes & change::Data) {
        m_generation.fetch_add(1, MemoryOrder::AcquireRelease);
        wake_waiters(wait_key(change::Data));
    }
    if (changes & change::Room) {
        m_room_generation.fetch_add(1, MemoryOrder::AcquireRelease);
        wake_waiters(wait_key(change::Room));
    }
    fs::readiness_changed(this);
}

void UnixSocket::connect_pair(UnixSocket& first, UnixSocket& second)
{
    SpinlockGuard guard(s_unix_lock);
    first.m_peer = second;
    second.m_peer = first;
    first.m_state = State::Connected;
    second.m_state = State::Connected;
    first.m_peer_credentials = second.m_owner;
    second.m_peer_credentials = first.m_owner;
}

void UnixSocket::attach_file(SocketFile* file)
{
    SpinlockGuard guard(s_unix_lock);
    m_file = file;
}

bool UnixSocket::is_connected() const
{
    SpinlockGuard guard(s_unix_lock);
    return m_state == State::Connected;
}

bool UnixSocket::is_listening() const
{
    SpinlockGuard guard(s_unix_lock);
    return m_state == State::Listening;
}

// ---- names ----

RefPtr<UnixSocket> UnixSocket::find_bound(const UnixAddress& address)
{
    SpinlockGuard guard(s_all_lock);
    for (UnixSocket* socket = s_all_head; socket; socket = socket->m_all_next) {
        if (socket->m_bound && !socket->m_released && !socket->m_vnode && socket->m_address == address)
            return RefPtr<UnixSocket>(*socket);
    }
    return nullptr;
}

RefPtr<UnixSocket> UnixSocket::find_bound(const fs::Vnode& vnode)
{
    SpinlockGuard guard(s_all_lock);
    for (UnixSocket* socket = s_all_head; socket; socket = socket->m_all_next) {
        if (socket->m_bound && !socket->m_released && socket->m_vnode.ptr() == &vnode)
            return RefPtr<UnixSocket>(*socket);
    }
    return nullptr;
}

ErrorOr<void> UnixSocket::bind(const ParsedAddress& address, RefPtr<fs::Vnode> vnode)
{
    if (address.kind == AddressKind::Unnamed)
        return autobind(); // nothing to do when named already, as Linux's unix_autobind
    SpinlockGuard guard(s_unix_lock);
    if (m_bound)
        return Error::from_errno(EINVAL);
    if (address.kind == AddressKind::Abstract && find_bound(address.address))
        return Error::from_errno(EADDRINUSE);
    m_address = address.address;
    m_vnode = lib::move(vnode);
    m_bound = true;
    return {};
}

ErrorOr<void> UnixSocket::autobind()
{
    SpinlockGuard guard(s_unix_lock);
    if (m_bound)
        return {};
    return autobind_locked();
}

ErrorOr<void> UnixSocket::autobind_locked()
{
    constexpr u32 NAME_SPACE = 0x100000; // five hex digits, as Linux's
    for (u32 attempt = 0; attempt < NAME_SPACE; ++attempt) {
        u32 number = s_next_autobind++ % NAME_SPACE;
        UnixAddress candidate;
        candidate.length = 6;
        candidate.path[0] = '\0';
        for (int digit = 0; digit < 5; ++digit)
            candidate.path[5 - digit] = "0123456789abcdef"[(number >> (4 * digit)) & 0xf];
        if (find_bound(candidate))
            continue;
        m_address = candidate;
        m_bound = true;
        return {};
    }
    return Error::from_errno(ENOSPC);
}

bool UnixSocket::is_bound() const
{
    SpinlockGuard guard(s_unix_lock);
    return m_bound;
}

UnixAddress UnixSocket::local_address() const
{
    SpinlockGuard guard(s_unix_lock);
    return m_address;
}

ErrorOr<UnixAddress> UnixSocket::peer_address() const
{
    SpinlockGuard guard(s_unix_lock);
    if (!m_peer || m_state == State::Unconnected)
        return Error::from_errno(ENOTCONN);
    return m_peer->m_address;
}

PeerCredentials UnixSocket::peer_credentials() const
{
    SpinlockGuard guard(s_unix_lock);
    return m_peer_credentials;
}

int UnixSocket::take_error()
{
    SpinlockGuard guard(s_unix_lock);
    int error = m_error;
    m_error = 0;
    return error;
}

void UnixSocket::set_send_buffer(u32 bytes)
{
    u64 value = bytes > MAX_BUFFER_SIZE ? MAX_BUFFER_SIZE : bytes;
    value *= 2;
    m_send_buffer.store(value < MIN_SEND_BUFFER ? MIN_SEND_BUFFER : static_cast<u32>(value), MemoryOrder::Relaxed);
    notify();
}

void UnixSocket::set_receive_buffer(u32 bytes)
{
    u64 value = bytes > MAX_BUFFER_SIZE ? MAX_BUFFER_SIZE : bytes;
    value *= 2;
    m_receive_buffer.store(
        value < MIN_RECEIVE_BUFFER ? MIN_RECEIVE_BUFFER : static_cast<u32>(value), MemoryOrder::Relaxed);
}

// ---- connections ----

ErrorOr<void> UnixSocket::listen(int backlog, const PeerCredentials& credentials)
{
    if (m_type == SocketType::Datagram)
        return Error::from_errno(EOPNOTSUPP);
    NotifyList notify;
    SpinlockGuard guard(s_unix_lock);
    if (!m_bound || m_state == State::Connected)
        return Error::from_errno(EINVAL);
    if (static_cast<u32>(backlog) > static_cast<u32>(MAX_BACKLOG))
        backlog = MAX_BACKLOG;
    bool was_listening = m_state == State::Listening;
    m_backlog = backlog;
    m_state = State::Listening;
    if (!was_listening)
        m_peer_credentials = credentials;
    notify.add(this); // connectors waiting for room may fit now
    return {};
}

ErrorOr<NonnullRefPtr<UnixSocket>> UnixSocket::accept(bool nonblocking)
{
    u64 deadline = deadline_after(receive_timeout_ns());
    WaitPlan plan;
    for (;;) {
        {
            NotifyList notify;
            SpinlockGuard guard(s_unix_lock);
            if (m_state != State::Listening)
                return Error::from_errno(EINVAL);
            if (UnixSocket* pending = m_pending_head) {
                m_pending_head = pending->m_pending_next;
                if (!m_pending_head)
                    m_pending_tail = nullptr;
                pending->m_pending_next = nullptr;
                pending->m_pending_in_listener = false;
                --m_pending_count;
                notify.add(this, change::Room); // a connector waiting for room
                return adopt_ref(*pending);
            }
            if (nonblocking)
                return Error::from_errno(EAGAIN);
            plan_wait(plan, *this, change::Data);
        }
        TRY(sleep_on(plan, deadline));
    }
}

ErrorOr<void> UnixSocket::connect_stream(
    UnixSocket& server, NonnullRefPtr<UnixSocket> server_side, const PeerCredentials& credentials, bool nonblocking)
{
    u64 deadline = deadline_after(send_timeout_ns());
    WaitPlan plan;
    for (;;) {
        {
            NotifyList notify;
            SpinlockGuard guard(s_unix_lock);
            // Linux's order (unix_stream_connect): the listener, its room, then our state.
            if (server.m_type != m_type)
                return Error::from_errno(EPROTOTYPE);
            if (server.m_released || server.m_state != State::Listening || (server.m_shutdown & shutdown_bit::Receive))
                return Error::from_errno(ECONNREFUSED);
            bool full = server.m_pending_count > static_cast<usize>(server.m_backlog);
            if (!full && m_state == State::Connected)
                return Error::from_errno(EISCONN);
            if (!full && m_state == State::Listening)
                return Error::from_errno(EINVAL);
            if (full) {
                if (nonblocking)
                    return Error::from_errno(EAGAIN);
                plan_wait(plan, server, change::Room);
            } else {
                UnixSocket& accepted = *server_side;
                accepted.m_state = State::Connected;
                accepted.m_peer = *this;
                accepted.m_address = server.m_address;
                accepted.m_peer_credentials = credentials;
                accepted.m_owner = server.m_owner;
                accepted.m_send_buffer.store(server.send_buffer(), MemoryOrder::Relaxed);
                accepted.m_pass_credentials.store(server.passes_credentials(), MemoryOrder::Relaxed);
                m_peer = server_side;
                m_state = State::Connected;
                m_peer_credentials = server.m_peer_credentials;
                UnixSocket* queued = server_side.leak_ref();
                queued->m_pending_in_listener = true;
                if (server.m_pending_tail)
                    server.m_pending_tail->m_pending_next = queued;
                else
                    server.m_pending_head = queued;
                server.m_pending_tail = queued;
                ++server.m_pending_count;
                notify.add(&server, change::Data);
                notify.add(this);
                return {};
            }
        }
        TRY(sleep_on(plan, deadline));
    }
}

ErrorOr<void> UnixSocket::connect_datagram(const RefPtr<UnixSocket>& peer)
{
    RefPtr<UnixSocket> old_peer;
    MessageQueue dropped;
    {
        NotifyList notify;
        SpinlockGuard guard(s_unix_lock);
        if (peer) {
            if (peer->m_type != m_type)
                return Error::from_errno(EPROTOTYPE);
            if (peer->m_released)
                return Error::from_errno(ECONNREFUSED);
            if (peer.ptr() != this && peer->m_peer && peer->m_peer.ptr() != this)
                return Error::from_errno(EPERM);
        }
        old_peer = lib::move(m_peer);
        if (old_peer && old_peer != peer) {
            // Linux's unix_dgram_disconnected: what the old association left
            // queued is dropped, and an old peer connected back learns it.
            if (!m_queue.is_empty()) {
                collect_into_locked(dropped, notify);
                if (!old_peer->m_released && old_peer->m_peer.ptr() == this) {
                    old_peer->m_error = ECONNRESET;
                    notify.add(old_peer.ptr());
                }
            }
        }
        m_peer = peer;
        m_state = peer ? State::Connected : State::Unconnected;
        notify.add(this);
    }
    dropped.destroy_all();
    collect_garbage_if_needed();
    return {};
}

ErrorOr<void> UnixSocket::shutdown(u8 bits)
{
    NotifyList notify;
    SpinlockGuard guard(s_unix_lock);
    m_shutdown |= bits;
    notify.add(this);
    if (m_peer && is_connection_based() && m_state == State::Connected) {
        u8 peer_bits = 0;
        if (bits & shutdown_bit::Receive)
            peer_bits |= shutdown_bit::Send;
        if (bits & shutdown_bit::Send)
            peer_bits |= shutdown_bit::Receive;
        m_peer->m_shutdown |= peer_bits;
        notify.add(m_peer.ptr());
    }
    return {};
}

// Moves the queue (and pending connections' queues) into `out`, settling
// the in-flight counts and the senders' charges.
void UnixSocket::collect_into_locked(MessageQueue& out, NotifyList& notify)
{
    while (Message* message = m_queue.pop()) {
        settle_dequeued_locked(*message);
        notify.add(message->sender.ptr(), change::Room);
        out.push(message);
    }
}

void UnixSocket::settle_dequeued_locked(Message& message)
{
    if (message.sender) {
        message.sender->m_send_charge -= message.charge;
        message.charge = 0;
    }
    if (message.rights)
        Collector::rights_dequeued_locked(*message.rights);
}

void UnixSocket::release()
{
    MessageQueue dropped;
    RefPtr<UnixSocket> peer;
    RefPtr<fs::Vnode> vnode;
    UnixSocket* pending;
    {
        NotifyList notify;
        SpinlockGuard guard(s_unix_lock);
        m_released = true;
        m_file = nullptr;
        m_shutdown = shutdown_bit::Both;
        vnode = lib::move(m_vnode);
        m_bound = false;
        bool had_unread = !m_queue.is_empty();
        collect_into_locked(dropped, notify);
        peer = lib::move(m_peer);
        if (peer && is_connection_based()) {
            peer->m_shutdown = shutdown_bit::Both;
            if (had_unread)
                peer->m_error = ECONNRESET;
            notify.add(peer.ptr());
        }
        pending = m_pending_head;
        m_pending_head = m_pending_tail = nullptr;
        m_pending_count = 0;
        m_state = State::Unconnected;
        notify.add(this);
    }
    // Connections never accepted: their clients see a reset.
    while (pending) {
        UnixSocket* next = pending->m_pending_next;
        pending->m_pending_next = nullptr;
        {
            MessageQueue embryo_dropped;
            RefPtr<UnixSocket> client;
            {
                NotifyList notify;
                SpinlockGuard guard(s_unix_lock);
                pending->m_released = true;
                pending->m_shutdown = shutdown_bit::Both;
                pending->collect_into_locked(embryo_dropped, notify);
                client = lib::move(pending->m_peer);
                if (client) {
                    client->m_shutdown = shutdown_bit::Both;
                    client->m_error = ECONNRESET;
                    notify.add(client.ptr());
                }
            }
            embryo_dropped.destroy_all();
        }
        pending->unref();
        pending = next;
    }
    dropped.destroy_all();
}

// ---- data ----

usize UnixSocket::stream_chunk_size() const
{
    constexpr usize MAX_STREAM_CHUNK = 32 * KiB;
    usize half = send_buffer() / 2 - 64;
    return half < MAX_STREAM_CHUNK ? half : MAX_STREAM_CHUNK;
}

bool UnixSocket::writable_locked() const
{
    return m_state != State::Listening && m_send_charge * 4 <= send_buffer();
}

ErrorOr<void> UnixSocket::send(Message* message, UnixSocket* destination, bool nonblocking)
{
    usize charge = message->size + MESSAGE_OVERHEAD;
    if (m_type != SocketType::Stream && message->size > send_buffer() - 32) {
        Message::destroy(message);
        return Error::from_errno(EMSGSIZE);
    }
    u64 deadline = deadline_after(send_timeout_ns());
    WaitPlan plan;
    for (;;) {
        int error = 0;
        RefPtr<UnixSocket> forgotten_peer;
        {
            NotifyList notify;
            SpinlockGuard guard(s_unix_lock);
            UnixSocket* target = nullptr;
            if (m_type == SocketType::Stream) {
                if (!m_peer || m_state != State::Connected)
                    error = ENOTCONN;
                else if ((m_shutdown & shutdown_bit::Send) || m_peer->m_released
                    || (m_peer->m_shutdown & shutdown_bit::Receive))
                    error = EPIPE;
                else
                    target = m_peer.ptr();
            } else if (m_type == SocketType::SeqPacket) {
                if (!m_peer || m_state != State::Connected)
                    error = ENOTCONN;
                else if (m_peer->m_released || (m_peer->m_shutdown & shutdown_bit::Receive))
                    error = EPIPE;
                else
                    target = m_peer.ptr();
            } else {
                target = destination ? destination : m_peer.ptr();
                bool shut = m_shutdown & shutdown_bit::Send;
                if (!shut && !target) {
                    error = ENOTCONN;
                } else if (!shut && target->m_released) {
                    error = ECONNREFUSED;
                    if (!destination && m_peer.ptr() == target) {
                        // Linux forgets a dead default destination.
                        notify.add(m_peer.ptr());
                        forgotten_peer = lib::move(m_peer); // dropped after the lock
                        m_state = State::Unconnected;
                    }
                } else if (!shut && target->m_peer && target->m_peer.ptr() != this) {
                    error = EPERM;
                } else if (shut || (target->m_shutdown & shutdown_bit::Receive)) {
                    error = EPIPE;
                }
            }
            if (error == 0) {
                // Room: the sender's budget first, then (datagrams to a
                // socket not connected back) the receiver's queue length.
                UnixSocket* blocker = nullptr;
                if (m_send_charge >= send_buffer())
                    blocker = this;
                else if (m_type != SocketType::Stream && target != this && target->m_peer.ptr() != this
                    && target->m_queue.count() > MAX_DATAGRAM_QUEUE)
                    blocker = target;
                if (!blocker) {
                    message->sender = *this;
                    message->charge = charge;
                    m_send_charge += charge;
                    if (message->rights)
                        Collector::rights_queued_locked(*message->rights);
                    target->m_queue.push(message);
                    notify.add(target, change::Data);
                    notify.add(this, change::Readiness); // its POLLOUT may have gone
                    return {};
                }
                if (nonblocking) {
                    error = EAGAIN;
                } else {
                    plan_wait(plan, *blocker, change::Room);
                }
            }
        }
        if (error) {
            Message::destroy(message);
            return Error::from_errno(error);
        }
        auto slept = sleep_on(plan, deadline);
        if (slept.is_error()) {
            Message::destroy(message);
            return slept.release_error();
        }
    }
}

ErrorOr<Received> UnixSocket::receive(Bytes buffer, const ReceiveOptions& options)
{
    u64 deadline = deadline_after(receive_timeout_ns());
    bool peek = options.flags & message_flag::Peek;
    bool nonblocking = options.nonblocking || (options.flags & message_flag::DontWait);
    Received received;
    WaitPlan plan;
    for (;;) {
        MessageQueue finished;
        int error = 0;
        bool done = false;
        {
            NotifyList notify;
            SpinlockGuard guard(s_unix_lock);
            if (m_type == SocketType::Stream && m_state != State::Connected && m_queue.is_empty()) {
                error = EINVAL; // listening, or never connected
            } else if (m_type == SocketType::Datagram && m_queue.is_empty() && (m_shutdown & shutdown_bit::Receive)
                && received.copied == 0) {
                // Linux checks the shutdown only once it would sleep.
                if (nonblocking)
                    error = EAGAIN;
                else
                    done = true;
            } else if (m_type == SocketType::SeqPacket && m_state != State::Connected) {
                error = ENOTCONN;
            } else if (!m_queue.is_empty()) {
                if (m_type == SocketType::Stream) {
                    bool full = receive_stream_locked(buffer, options, received, finished, notify);
                    // MSG_WAITALL waits for more unless a boundary (rights,
                    // credentials) stopped the read.
                    done = full || peek || !(options.flags & message_flag::WaitAll) || !m_queue.is_empty()
                        || nonblocking;
                    // Not done: the next round sees the emptied queue and
                    // decides between EOF, an error and sleeping.
                } else {
                    done = receive_record_locked(buffer, options, received, finished, notify);
                }
                notify.add(this, change::Room); // room for datagram writers
            } else if (m_error && received.copied == 0) {
                error = m_error;
                m_error = 0;
            } else if ((m_shutdown & shutdown_bit::Receive)
                || (received.copied > 0 && !(options.flags & message_flag::WaitAll))) {
                done = true; // EOF, or what was read before it
            } else if (nonblocking) {
                if (received.copied > 0)
                    done = true;
                else
                    error = EAGAIN;
            } else {
                plan_wait(plan, *this, change::Data);
            }
        }
        finished.destroy_all();
        if (error) {
            plan.key = nullptr;
            if (received.copied > 0)
                return received;
            return Error::from_errno(error);
        }
        if (done)
            return received;
        if (!plan.key)
            continue;
        auto slept = sleep_on(plan, deadline);
        if (slept.is_error()) {
            if (received.copied > 0)
                return received;
            return slept.release_error();
        }
    }
}

// Stream: bytes across messages, stopping after a message that carries
// rights (they belong with its bytes) and, with SO_PASSCRED, before bytes
// from another sender. True when the read is complete.
bool UnixSocket::receive_stream_locked(
    Bytes buffer, const ReceiveOptions& options, Received& received, MessageQueue& finished, NotifyList& notify)
{
    bool peek = options.flags & message_flag::Peek;
    bool check_credentials = passes_credentials();
    bool first = received.copied == 0;
    Message* message = m_queue.head();
    while (message && received.copied < buffer.size()) {
        if (check_credentials && !first
            && (message->credentials.pid != received.credentials.pid
                || message->credentials.uid != received.credentials.uid
                || message->credentials.gid != received.credentials.gid))
            return true;
        if (first) {
            received.credentials = message->credentials;
            if (message->sender)
                received.source = message->sender->m_address; // Linux reports the peer's name too
            first = false;
        }
        usize count = message->unread();
        if (count > buffer.size() - received.copied)
            count = buffer.size() - received.copied;
        __builtin_memcpy(buffer.data() + received.copied, message->data() + message->consumed, count);
        received.copied += count;
        bool carries_rights = message->rights != nullptr;
        if (peek) {
            if (carries_rights && options.peek_rights)
                copy_rights_locked(*message->rights, *options.peek_rights, received);
            message = message->next;
        } else {
            message->consumed += count;
            m_queue.consumed(count);
            if (carries_rights && !received.rights) {
                received.rights = message->rights;
                message->rights = nullptr;
                Collector::rights_dequeued_locked(*received.rights);
            }
            if (message->unread() == 0) {
                m_queue.pop();
                settle_dequeued_locked(*message);
                notify.add(message->sender.ptr(), change::Room);
                finished.push(message);
            }
            message = m_queue.head();
        }
        if (carries_rights)
            return true;
    }
    return received.copied == buffer.size();
}

// Datagram and seqpacket: one record.
bool UnixSocket::receive_record_locked(
    Bytes buffer, const ReceiveOptions& options, Received& received, MessageQueue& finished, NotifyList& notify)
{
    Message* message = m_queue.head();
    if (options.keep_larger_record && message->size > buffer.size()) {
        received.record_size = message->size;
        received.needs_larger_buffer = true;
        return true;
    }
    usize count = message->size < buffer.size() ? message->size : buffer.size();
    __builtin_memcpy(buffer.data(), message->data(), count);
    received.copied = count;
    received.record_size = message->size;
    received.truncated = message->size > buffer.size();
    received.credentials = message->credentials;
    if (message->sender)
        received.source = message->sender->m_address;
    if (options.flags & message_flag::Peek) {
        if (message->rights && options.peek_rights)
            copy_rights_locked(*message->rights, *options.peek_rights, received);
        return true;
    }
    m_queue.pop();
    settle_dequeued_locked(*message);
    if (message->rights) {
        received.rights = message->rights;
        message->rights = nullptr;
    }
    notify.add(message->sender.ptr(), change::Room);
    finished.push(message);
    return true;
}

// MSG_PEEK of a message with rights: new references in the caller's
// preallocated list (Linux duplicates them too).
void UnixSocket::copy_rights_locked(const FileRights& source, FileRights& copy, Received& received)
{
    if (received.rights)
        return;
    for (usize i = 0; i < source.count() && copy.count() < copy.capacity(); ++i)
        copy.append(source.at(i));
    received.rights = &copy;
}

usize UnixSocket::receive_size_hint() const
{
    SpinlockGuard guard(s_unix_lock);
    if (m_queue.is_empty())
        return 0;
    return m_type == SocketType::Stream ? m_queue.bytes() : m_queue.head()->size;
}

u32 UnixSocket::poll_readiness() const
{
    SpinlockGuard guard(s_unix_lock);
    u32 events = 0;
    if (m_error)
        events |= fs::poll_event::Error;
    if (m_shutdown == shutdown_bit::Both)
        events |= fs::poll_event::HangUp;
    if (m_shutdown & shutdown_bit::Receive)
        events |= socket_poll::ReadHangUp | fs::poll_event::In | socket_poll::ReadNormal;
    if (!m_queue.is_empty() || m_pending_count > 0)
        events |= fs::poll_event::In | socket_poll::ReadNormal;
    if (is_connection_based() && m_state == State::Unconnected)
        events |= fs::poll_event::HangUp;
    bool writable = writable_locked();
    if (writable && m_type != SocketType::Stream && m_peer && m_peer->m_peer.ptr() != this
        && m_peer->m_queue.count() > MAX_DATAGRAM_QUEUE)
        writable = false;
    if (writable)
        events |= fs::poll_event::Out | socket_poll::WriteNormal | socket_poll::WriteBand;
    return events;
}

} // namespace net
