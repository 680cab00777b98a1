// Sockets: socket, socketpair, bind, listen, accept, accept4, connect,
// sendto, recvfrom, sendmsg, recvmsg, shutdown, getsockname, getpeername,
// setsockopt, getsockopt, and read/write/readv/writev on socket fds
// (SocketIo.h). AF_UNIX only (net/unix/UnixSocket.h has the semantics);
// other families are EAFNOSUPPORT.
//
// This layer moves bytes between user memory and kernel messages, parses
// and builds sockaddr_un and control messages (SCM_RIGHTS, SCM_CREDENTIALS),
// resolves names through the VFS, installs received descriptions in the fd
// table and raises SIGPIPE, in Linux's order of checks (net/socket.c,
// net/core/scm.c, net/core/sock.c).
#include <fs/vfs/Permissions.h>
#include <fs/vfs/Vfs.h>
#include <kernel/api/fcntl.h>
#include <kernel/lib/Placement.h>
#include <kernel/proc/SignalState.h>
#include <kernel/proc/Signals.h>
#include <kernel/sched/Scheduler.h>
#include <kernel/sched/WaitQueue.h>
#include <kernel/syscalls/FileSupport.h>
#include <kernel/syscalls/Handlers.h>
#include <kernel/syscalls/SocketIo.h>
#include <kernel/syscalls/UserPath.h>
#include <kernel/time/Clock.h>
#include <kernel/user/UserPtr.h>
#include <net/socket/SocketFile.h>
#include <net/socket/Wait.h>
#include <net/unix/Collector.h>

namespace syscalls {

namespace {

// Linux values (include/linux/socket.h, asm-generic/socket.h).
constexpr int FAMILY_LIMIT = 46; // NPROTO
constexpr int TYPE_LIMIT = 11;   // SOCK_MAX
constexpr u64 TYPE_MASK = 0xf;
constexpr u64 SOCK_NONBLOCK_FLAG = 04000;
constexpr u64 SOCK_CLOEXEC_FLAG = 02000000;
constexpr int SOCK_RAW_TYPE = 3;
constexpr int SOL_SOCKET_LEVEL = 1;
constexpr int SCM_RIGHTS_TYPE = 1;
constexpr int SCM_CREDENTIALS_TYPE = 2;
constexpr u32 MSG_CMSG_CLOEXEC_FLAG = 0x40000000;
constexpr u32 MSG_OOB_FLAG = 0x1;
constexpr usize UIO_MAXIOV = 1024;
constexpr usize MAX_SOCKADDR = 128;  // sizeof(struct sockaddr_storage)
constexpr usize MAX_CONTROL = 20480; // net.core.optmem_max
constexpr usize MAX_RECEIVE_CHUNK = 256 * KiB;

namespace option {
constexpr int TYPE = 3;
constexpr int ERROR = 4;
constexpr int SNDBUF = 7;
constexpr int RCVBUF = 8;
constexpr int PASSCRED = 16;
constexpr int PEERCRED = 17;
constexpr int RCVTIMEO = 20;
constexpr int SNDTIMEO = 21;
constexpr int ACCEPTCONN = 30;
constexpr int PROTOCOL = 38;
constexpr int DOMAIN = 39;
} // namespace option

struct ControlHeader {
    u64 length;
    int level;
    int type;
};
static_assert(sizeof(ControlHeader) == 16);

struct UserCredentials {
    i32 pid;
    u32 uid;
    u32 gid;
};

struct TimeValue {
    i64 seconds;
    i64 microseconds;
};

struct MessageHeader {
    u64 name;
    u32 name_length;
    u32 padding0;
    u64 iov;
    u64 iov_length;
    u64 control;
    u64 control_length;
    int flags;
    u32 padding1;
};
static_assert(sizeof(MessageHeader) == 56);

struct IoVector {
    u64 base;
    u64 length;
};

constexpr usize align_control(usize length)
{
    return (length + sizeof(u64) - 1) & ~(sizeof(u64) - 1);
}

// ---- blocking in the kernel (net/socket/Wait.h) ----

constexpr usize WAIT_BUCKETS = 32;
[[clang::no_destroy]] constinit sched::WaitQueue s_wait_buckets[WAIT_BUCKETS];

sched::WaitQueue& bucket_for(const void* key)
{
    auto value = reinterpret_cast<uptr>(key);
    return s_wait_buckets[((value >> 6) ^ (value >> 14)) % WAIT_BUCKETS];
}

int kernel_socket_wait(const void* key, net::SocketWaitHooks::Condition condition, const void* argument, u64 deadline)
{
    auto result = deadline == net::NO_DEADLINE
        ? bucket_for(key).wait_until_interruptible([&] { return condition(argument); })
        : bucket_for(key).wait_until_interruptible([&] { return condition(argument); }, deadline);
    if (!result.is_error())
        return 0;
    // With SO_RCVTIMEO/SO_SNDTIMEO set, Linux never restarts the call, even
    // for a handler with SA_RESTART (sock_intr_errno).
    if (deadline != net::NO_DEADLINE && result.error().code() == EINTR)
        proc::mark_interruption_final();
    return result.error().code();
}

void kernel_socket_wake(const void* key)
{
    if (sched::is_running())
        bucket_for(key).wake_all();
}

constexpr net::SocketWaitHooks KERNEL_SOCKET_WAIT_HOOKS { kernel_socket_wait, kernel_socket_wake, ktime::monotonic_ns };

// ---- helpers ----

net::PeerCredentials credentials_of(proc::Process& process)
{
    return { process.pid(), process.credentials().uid, process.credentials().gid };
}

ErrorOr<NonnullRefPtr<net::SocketFile>> socket_file(int fd)
{
    auto file = TRY(current_process().files().get(fd));
    net::SocketFile* socket = net::as_socket_file(*file);
    if (!socket)
        return Error::from_errno(ENOTSOCK);
    return NonnullRefPtr<net::SocketFile>(*socket);
}

// A sockaddr from user memory (move_addr_to_kernel's limits).
ErrorOr<usize> copy_address_in(u64 address, u64 length, u8 (&out)[MAX_SOCKADDR])
{
    if (static_cast<i64>(static_cast<i32>(length)) < 0 || length > MAX_SOCKADDR)
        return Error::from_errno(EINVAL);
    if (length == 0)
        return 0;
    TRY(user::copy_from_user(out, user::UserPtr<const void>(address), length));
    return length;
}

// move_addr_to_user: copies what fits of `address`, stores its full length.
ErrorOr<void> copy_address_out(const net::UnixAddress* address, u64 user_address, u64 user_length)
{
    if (!user_address || !user_length)
        return {};
    int capacity = 0;
    TRY(user::copy_from_user(capacity, user::UserPtr<const int>(user_length)));
    if (capacity < 0)
        return Error::from_errno(EINVAL);
    u8 buffer[net::SOCKADDR_UN_SIZE + 1];
    usize length = address ? net::format_unix_address(*address, { buffer, sizeof(buffer) }) : 0;
    usize copied = min<usize>(length, static_cast<usize>(capacity));
    if (copied)
        TRY(user::copy_to_user(user::UserPtr<void>(user_address), buffer, copied));
    int reported = static_cast<int>(length);
    TRY(user::copy_to_user(user::UserPtr<int>(user_length), reported));
    return {};
}

// The socket a name refers to (Linux's unix_find_other): ENOENT and the
// other path errors, ECONNREFUSED when nothing listens there, EPROTOTYPE
// for another socket type.
ErrorOr<NonnullRefPtr<net::UnixSocket>> find_socket(const net::ParsedAddress& parsed, net::SocketType type)
{
    RefPtr<net::UnixSocket> found;
    if (parsed.kind == net::AddressKind::Abstract) {
        found = net::UnixSocket::find_bound(parsed.address);
    } else {
        proc::Process& process = current_process();
        StringView path = parsed.address.path_view();
        fs::Location base = TRY(base_location(process, AT_FDCWD, path));
        fs::Location location = TRY(fs::vfs().resolve(process.context(), base, path, fs::FollowFinal::Yes));
        // Connecting or sending to a named socket needs write permission on
        // its file, checked before its type (Linux's unix_find_bsd).
        TRY(fs::check_access(location.vnode->attributes(), process.context().credentials, fs::access::Write));
        if (location.vnode->type() != fs::FileType::Socket)
            return Error::from_errno(ECONNREFUSED);
        found = net::UnixSocket::find_bound(*location.vnode);
    }
    if (!found)
        return Error::from_errno(ECONNREFUSED);
    if (found->type() != type)
        return Error::from_errno(EPROTOTYPE);
    return found.release_nonnull();
}

ErrorOr<net::ParsedAddress> parse_user_address(u64 address, u64 length)
{
    u8 raw[MAX_SOCKADDR];
    usize size = TRY(copy_address_in(address, length, raw));
    return net::parse_unix_address({ raw, size });
}

// ---- iovecs ----

class UserVector {
public:
    ~UserVector() { kfree(m_vectors); }

    // EMSGSIZE for too many entries (`message`), else EINVAL; EFAULT.
    ErrorOr<void> load(u64 address, u64 count, bool message)
    {
        if (count > UIO_MAXIOV)
            return Error::from_errno(message ? EMSGSIZE : EINVAL);
        m_count = count;
        if (count == 0)
            return {};
        m_vectors = static_cast<IoVector*>(kmalloc(count * sizeof(IoVector)));
        if (!m_vectors)
            return Error::from_errno(ENOMEM);
        TRY(user::copy_from_user(m_vectors, user::UserPtr<const void>(address), count * sizeof(IoVector)));
        for (usize i = 0; i < count; ++i) {
            if (static_cast<i64>(m_vectors[i].length) < 0 || m_total + m_vectors[i].length > 0x7ffff000)
                return Error::from_errno(EINVAL);
            if (!user::is_user_range(m_vectors[i].base, m_vectors[i].length))
                return Error::from_errno(EFAULT);
            m_total += m_vectors[i].length;
        }
        return {};
    }

    void single(u64 base, u64 length)
    {
        m_single = { base, min<u64>(length, 0x7ffff000) };
        m_vectors_view = &m_single;
        m_count = 1;
        m_total = m_single.length;
    }

    u64 total() const { return m_total; }

    // Copies the next `size` bytes of the vector into `out` (gather).
    ErrorOr<void> gather(u8* out, usize size)
    {
        while (size > 0) {
            IoVector& vector = vectors()[m_index];
            usize take = min<u64>(vector.length - m_offset, size);
            if (take) {
                TRY(user::copy_from_user(out, user::UserPtr<const void>(vector.base + m_offset), take));
                out += take;
                size -= take;
                m_offset += take;
            }
            if (m_offset == vector.length) {
                ++m_index;
                m_offset = 0;
            }
        }
        return {};
    }

    // Copies `size` bytes into the vector from the start (scatter).
    ErrorOr<void> scatter(const u8* data, usize size)
    {
        for (usize i = 0; i < m_count && size > 0; ++i) {
            usize take = min<u64>(vectors()[i].length, size);
            if (take)
                TRY(user::copy_to_user(user::UserPtr<void>(vectors()[i].base), data, take));
            data += take;
            size -= take;
        }
        return {};
    }

private:
    IoVector* vectors() { return m_vectors_view ? m_vectors_view : m_vectors; }

    IoVector* m_vectors { nullptr };
    IoVector* m_vectors_view { nullptr };
    IoVector m_single {};
    usize m_count { 0 };
    u64 m_total { 0 };
    usize m_index { 0 };
    u64 m_offset { 0 };
};

// ---- sending ----

struct SendControl {
    net::FileRights* rights { nullptr };
    bool explicit_credentials { false };
    net::PeerCredentials credentials;

    SendControl() = default;
    SendControl(const SendControl&) = delete;
    SendControl& operator=(const SendControl&) = delete;
    ~SendControl() { net::FileRights::destroy(rights); }
};

// Linux's __scm_send for SOL_SOCKET messages; other levels are skipped.
ErrorOr<void> parse_send_control(u64 address, u64 length, SendControl& out)
{
    if (length == 0)
        return {};
    if (length > MAX_CONTROL)
        return Error::from_errno(ENOBUFS);
    if (length < sizeof(ControlHeader))
        return Error::from_errno(EINVAL);
    KernelBuffer buffer(length);
    if (buffer.is_null())
        return Error::from_errno(ENOMEM);
    TRY(user::copy_from_user(buffer.span().data(), user::UserPtr<const void>(address), length));
    proc::Process& process = current_process();
    usize offset = 0;
    while (offset + sizeof(ControlHeader) <= length) {
        ControlHeader header;
        __builtin_memcpy(&header, buffer.span().data() + offset, sizeof(header));
        if (header.length < sizeof(ControlHeader) || header.length > length - offset)
            return Error::from_errno(EINVAL);
        const u8* data = buffer.span().data() + offset + sizeof(ControlHeader);
        usize data_length = header.length - sizeof(ControlHeader);
        if (header.level == SOL_SOCKET_LEVEL) {
            if (header.type == SCM_RIGHTS_TYPE) {
                usize count = data_length / sizeof(int);
                if (count == 0) {
                    // An empty SCM_RIGHTS carries nothing (Linux: no error).
                } else {
                    usize already = out.rights ? out.rights->count() : 0;
                    if (already + count > net::MAX_RIGHTS_PER_MESSAGE)
                        return Error::from_errno(EINVAL);
                    if (!out.rights)
                        out.rights = TRY(net::FileRights::try_create(net::MAX_RIGHTS_PER_MESSAGE));
                    for (usize i = 0; i < count; ++i) {
                        int fd;
                        __builtin_memcpy(&fd, data + i * sizeof(int), sizeof(int));
                        out.rights->append(TRY(process.files().get(fd)));
                    }
                }
            } else if (header.type == SCM_CREDENTIALS_TYPE) {
                if (data_length != sizeof(UserCredentials))
                    return Error::from_errno(EINVAL);
                UserCredentials given;
                __builtin_memcpy(&given, data, sizeof(given));
                const fs::Credentials& own = process.credentials();
                // Only root may claim other identities (CAP_SYS_ADMIN, CAP_SETUID, CAP_SETGID).
                if (!own.is_root() && (given.pid != process.pid() || given.uid != own.uid || given.gid != own.gid))
                    return Error::from_errno(EPERM);
                out.explicit_credentials = true;
                out.credentials = { given.pid, given.uid, given.gid };
            } else {
                return Error::from_errno(EINVAL);
            }
        }
        offset += align_control(header.length);
    }
    return {};
}

ErrorOr<u64> send_message(
    net::SocketFile& file, UserVector& data, u32 flags, u64 name, u64 name_length, u64 control, u64 control_length)
{
    net::UnixSocket& socket = file.socket();
    proc::Process& process = current_process();
    if (flags & MSG_OOB_FLAG)
        return Error::from_errno(EOPNOTSUPP); // no out-of-band data (docs/sockets.md)
    SendControl ancillary;
    TRY(parse_send_control(control, control_length, ancillary));
    net::PeerCredentials credentials = ancillary.explicit_credentials ? ancillary.credentials : credentials_of(process);
    bool nonblocking = file.is_nonblocking() || (flags & net::message_flag::DontWait);

    RefPtr<net::UnixSocket> destination;
    if (name && name_length) {
        if (socket.type() == net::SocketType::Stream)
            return Error::from_errno(socket.is_connected() ? EISCONN : EOPNOTSUPP);
        if (socket.type() == net::SocketType::Datagram) {
            auto parsed = TRY(parse_user_address(name, name_length));
            if (parsed.kind == net::AddressKind::Unnamed || parsed.kind == net::AddressKind::Unspecified)
                return Error::from_errno(EINVAL);
            destination = TRY(find_socket(parsed, socket.type()));
        }
    }
    if (socket.passes_credentials() && socket.type() == net::SocketType::Datagram)
        TRY(socket.autobind());

    u64 total = data.total();
    if (socket.type() != net::SocketType::Stream) {
        if (total > socket.send_buffer() - 32)
            return Error::from_errno(EMSGSIZE);
        net::Message* message = TRY(net::Message::try_create(total));
        if (auto gathered = data.gather(message->data(), total); gathered.is_error()) {
            net::Message::destroy(message);
            return gathered.release_error();
        }
        message->credentials = credentials;
        message->rights = lib::exchange(ancillary.rights, nullptr);
        auto sent = socket.send(message, destination.ptr(), nonblocking);
        // Linux raises no SIGPIPE for datagram and seqpacket sends.
        TRY(sent);
        return total;
    }

    u64 sent = 0;
    bool first = true;
    while (first || sent < total) {
        usize size = min<u64>(total - sent, socket.stream_chunk_size());
        if (total == 0) {
            // Nothing to queue (Linux's loop does not run), but a missing connection still shows.
            if (!socket.is_connected())
                return Error::from_errno(ENOTCONN);
            return 0;
        }
        net::Message* message = TRY(net::Message::try_create(size));
        if (auto gathered = data.gather(message->data(), size); gathered.is_error()) {
            net::Message::destroy(message);
            return sent ? ErrorOr<u64>(sent) : gathered.release_error();
        }
        message->credentials = credentials;
        if (first)
            message->rights = lib::exchange(ancillary.rights, nullptr);
        first = false;
        auto result = socket.send(message, nullptr, nonblocking);
        if (result.is_error()) {
            if (result.error().code() == EPIPE && sent == 0 && !(flags & net::message_flag::NoSignal))
                proc::raise_signal(process, proc::SIGNAL_PIPE);
            if (sent)
                return sent;
            return result.release_error();
        }
        sent += size;
    }
    return sent;
}

// ---- receiving ----

struct ReceiveOutcome {
    u64 result;
    u32 flags;
    u64 control_used;
};

// Writes one control message (Linux's put_cmsg); false when it did not fit.
ErrorOr<bool> put_control(u64 base, u64 capacity, u64& used, int type, const void* data, usize length)
{
    u64 room = capacity - used;
    if (room < sizeof(ControlHeader))
        return false;
    u64 full = sizeof(ControlHeader) + length;
    u64 written = min(full, room);
    ControlHeader header { written, SOL_SOCKET_LEVEL, type };
    TRY(user::copy_to_user(user::UserPtr<void>(base + used), &header, sizeof(header)));
    if (written > sizeof(header))
        TRY(user::copy_to_user(user::UserPtr<void>(base + used + sizeof(header)), data, written - sizeof(header)));
    used += min(align_control(full), room);
    return written == full;
}

ErrorOr<ReceiveOutcome> receive_message(
    net::SocketFile& file, UserVector& data, u32 flags, u64 name, u64 name_length, u64 control, u64 control_length)
{
    net::UnixSocket& socket = file.socket();
    proc::Process& process = current_process();
    if (flags & MSG_OOB_FLAG)
        return Error::from_errno(EOPNOTSUPP);
    // The kernel buffer is sized to what is queued when something is: a
    // record larger than the guess is left queued and asked for again.
    usize limit = min<u64>(data.total(), MAX_RECEIVE_CHUNK);
    usize capacity = limit;
    usize queued = socket.receive_size_hint();
    if (queued > 0 && !(flags & net::message_flag::WaitAll))
        capacity = min(limit, queued);
    net::ReceiveOptions options;
    options.flags = flags;
    options.nonblocking = file.is_nonblocking();
    net::FileRights* peek_rights = nullptr;
    if ((flags & net::message_flag::Peek) && control_length > 0) {
        peek_rights = TRY(net::FileRights::try_create(net::MAX_RIGHTS_PER_MESSAGE));
        options.peek_rights = peek_rights;
    }
    struct Memory {
        u8* data { nullptr };
        ~Memory() { kfree(data); }
    } memory;
    net::Received received;
    for (;;) {
        kfree(lib::exchange(memory.data, nullptr));
        memory.data = static_cast<u8*>(kmalloc(capacity ? capacity : 1));
        if (!memory.data) {
            net::FileRights::destroy(peek_rights);
            return Error::from_errno(ENOMEM);
        }
        options.keep_larger_record = capacity < limit;
        auto received_or_error = socket.receive({ memory.data, capacity }, options);
        if (received_or_error.is_error()) {
            net::FileRights::destroy(peek_rights);
            return received_or_error.release_error();
        }
        received = received_or_error.release_value();
        if (!received.needs_larger_buffer)
            break;
        capacity = min(limit, received.record_size);
    }
    net::FileRights* rights = received.rights;
    if (rights == peek_rights)
        peek_rights = nullptr;
    struct Cleanup {
        net::FileRights*& rights;
        net::FileRights*& spare;
        ~Cleanup()
        {
            net::FileRights::destroy(rights);
            net::FileRights::destroy(spare);
        }
    } cleanup { rights, peek_rights };

    TRY(data.scatter(memory.data, received.copied));
    ReceiveOutcome outcome { received.copied, flags & MSG_CMSG_CLOEXEC_FLAG, 0 };
    if (socket.type() != net::SocketType::Stream) {
        if (received.truncated)
            outcome.flags |= net::message_flag::Truncate;
        if (flags & net::message_flag::Truncate)
            outcome.result = received.record_size;
    }
    if (name)
        TRY(copy_address_out(received.source.is_unnamed() ? nullptr : &received.source, name, name_length));

    // Control messages: credentials first, then rights (Linux's scm_recv).
    if (socket.passes_credentials()) {
        UserCredentials credentials { received.credentials.pid, received.credentials.uid, received.credentials.gid };
        if (!control
            || !TRY(put_control(control, control_length, outcome.control_used, SCM_CREDENTIALS_TYPE, &credentials,
                sizeof(credentials))))
            outcome.flags |= net::message_flag::ControlTruncated;
    }
    if (rights && rights->count() > 0) {
        u64 room = control ? control_length - outcome.control_used : 0;
        usize fitting = room > sizeof(ControlHeader) ? (room - sizeof(ControlHeader)) / sizeof(int) : 0;
        usize count = min(fitting, rights->count());
        // Off the (16 KiB) kernel stack: up to 253 references and fds.
        struct Installing {
            RefPtr<fs::OpenFile> files[net::MAX_RIGHTS_PER_MESSAGE];
            int fds[net::MAX_RIGHTS_PER_MESSAGE];
        };
        auto* installing = new (std::nothrow) Installing;
        if (!installing)
            return Error::from_errno(ENOMEM);
        struct Release {
            Installing* pointer;
            ~Release() { delete pointer; }
        } release { installing };
        RefPtr<fs::OpenFile>* files = installing->files;
        int* fds = installing->fds;
        usize total = rights->count();
        rights->take_all(files);
        usize installed = 0;
        auto close_on_exec = (flags & MSG_CMSG_CLOEXEC_FLAG) ? fs::CloseOnExec::Yes : fs::CloseOnExec::No;
        for (; installed < count; ++installed) {
            auto fd = process.files().allocate(files[installed].release_nonnull(), close_on_exec);
            if (fd.is_error())
                break;
            fds[installed] = fd.value();
        }
        if (installed > 0) {
            ControlHeader header { sizeof(ControlHeader) + installed * sizeof(int), SOL_SOCKET_LEVEL, SCM_RIGHTS_TYPE };
            TRY(user::copy_to_user(user::UserPtr<void>(control + outcome.control_used), &header, sizeof(header)));
            TRY(user::copy_to_user(
                user::UserPtr<void>(control + outcome.control_used + sizeof(header)), fds, installed * sizeof(int)));
            outcome.control_used += min<u64>(align_control(header.length), room);
        }
        if (installed < total)
            outcome.flags |= net::message_flag::ControlTruncated;
    }
    return outcome;
}

ErrorOr<u64> install_socket(NonnullRefPtr<net::UnixSocket> socket, u64 flags)
{
    u32 status = (flags & SOCK_NONBLOCK_FLAG) ? fs::open_flag::NonBlocking : 0;
    auto file = TRY(net::SocketFile::try_create(lib::move(socket), status));
    auto close_on_exec = (flags & SOCK_CLOEXEC_FLAG) ? fs::CloseOnExec::Yes : fs::CloseOnExec::No;
    return static_cast<u64>(TRY(current_process().files().allocate(file, close_on_exec)));
}

// socket()'s checks in Linux's order; the type without flags.
ErrorOr<net::SocketType> check_socket_arguments(u64 domain, u64 type, u64 protocol)
{
    net::set_socket_wait_hooks(&KERNEL_SOCKET_WAIT_HOOKS);
    if ((type & ~TYPE_MASK) & ~(SOCK_NONBLOCK_FLAG | SOCK_CLOEXEC_FLAG))
        return Error::from_errno(EINVAL);
    int family = static_cast<int>(domain);
    if (family < 0 || family >= FAMILY_LIMIT)
        return Error::from_errno(EAFNOSUPPORT);
    int base_type = static_cast<int>(type & TYPE_MASK);
    if (base_type >= TYPE_LIMIT)
        return Error::from_errno(EINVAL);
    if (family != net::FAMILY_UNIX)
        return Error::from_errno(EAFNOSUPPORT);
    int proto = static_cast<int>(protocol);
    if (proto != 0 && proto != net::FAMILY_UNIX)
        return Error::from_errno(EPROTONOSUPPORT);
    switch (base_type) {
    case static_cast<int>(net::SocketType::Stream):
        return net::SocketType::Stream;
    case static_cast<int>(net::SocketType::Datagram):
    case SOCK_RAW_TYPE: // Linux makes SOCK_RAW unix sockets datagram sockets
        return net::SocketType::Datagram;
    case static_cast<int>(net::SocketType::SeqPacket):
        return net::SocketType::SeqPacket;
    default:
        return Error::from_errno(ESOCKTNOSUPPORT);
    }
}

ErrorOr<u64> get_option(net::SocketFile& file, int option_name, u64 value_address, u64 length_address)
{
    net::UnixSocket& socket = file.socket();
    int length = 0;
    TRY(user::copy_from_user(length, user::UserPtr<const int>(length_address)));
    if (length < 0)
        return Error::from_errno(EINVAL);
    union {
        int integer;
        UserCredentials credentials;
        TimeValue time;
    } value {};
    usize size = sizeof(int);
    switch (option_name) {
    case option::TYPE:
        value.integer = static_cast<int>(socket.type());
        break;
    case option::ERROR:
        value.integer = socket.take_error();
        break;
    case option::SNDBUF:
        value.integer = static_cast<int>(socket.send_buffer());
        break;
    case option::RCVBUF:
        value.integer = static_cast<int>(socket.receive_buffer());
        break;
    case option::PASSCRED:
        value.integer = socket.passes_credentials() ? 1 : 0;
        break;
    case option::ACCEPTCONN:
        value.integer = socket.is_listening() ? 1 : 0;
        break;
    case option::DOMAIN:
        value.integer = net::FAMILY_UNIX;
        break;
    case option::PROTOCOL:
        value.integer = 0;
        break;
    case option::PEERCRED: {
        net::PeerCredentials peer = socket.peer_credentials();
        value.credentials = { peer.pid, peer.uid, peer.gid };
        size = sizeof(UserCredentials);
        break;
    }
    case option::RCVTIMEO:
    case option::SNDTIMEO: {
        u64 ns = option_name == option::RCVTIMEO ? socket.receive_timeout_ns() : socket.send_timeout_ns();
        value.time = { static_cast<i64>(ns / 1000000000), static_cast<i64>((ns % 1000000000) / 1000) };
        size = sizeof(TimeValue);
        break;
    }
    default:
        return Error::from_errno(ENOPROTOOPT);
    }
    usize copied = min<usize>(size, static_cast<usize>(length));
    TRY(user::copy_to_user(user::UserPtr<void>(value_address), &value, copied));
    int reported = static_cast<int>(copied);
    TRY(user::copy_to_user(user::UserPtr<int>(length_address), reported));
    return 0;
}

ErrorOr<u64> set_option(net::SocketFile& file, int option_name, u64 value_address, u64 length)
{
    net::UnixSocket& socket = file.socket();
    if (option_name == option::RCVTIMEO || option_name == option::SNDTIMEO) {
        if (length < sizeof(TimeValue))
            return Error::from_errno(EINVAL);
        TimeValue time;
        TRY(user::copy_from_user(time, user::UserPtr<const TimeValue>(value_address)));
        if (time.microseconds < 0 || time.microseconds >= 1000000)
            return Error::from_errno(EDOM);
        u64 ns;
        if (time.seconds < 0)
            ns = 1; // Linux: a negative time means no waiting at all
        else
            ns = static_cast<u64>(time.seconds) * 1000000000 + static_cast<u64>(time.microseconds) * 1000;
        if (option_name == option::RCVTIMEO)
            socket.set_receive_timeout_ns(ns);
        else
            socket.set_send_timeout_ns(ns);
        return 0;
    }
    switch (option_name) {
    case option::SNDBUF:
    case option::RCVBUF:
    case option::PASSCRED:
        break;
    default:
        return Error::from_errno(ENOPROTOOPT);
    }
    if (length < sizeof(int))
        return Error::from_errno(EINVAL);
    int value = 0;
    TRY(user::copy_from_user(value, user::UserPtr<const int>(value_address)));
    if (option_name == option::SNDBUF)
        socket.set_send_buffer(static_cast<u32>(value));
    else if (option_name == option::RCVBUF)
        socket.set_receive_buffer(static_cast<u32>(value));
    else
        socket.set_pass_credentials(value != 0);
    return 0;
}

ErrorOr<u64> accept_connection(const Arguments& arguments, u64 flags)
{
    if (flags & ~(SOCK_NONBLOCK_FLAG | SOCK_CLOEXEC_FLAG))
        return Error::from_errno(EINVAL);
    auto file = TRY(socket_file(static_cast<int>(arguments[0])));
    net::UnixSocket& listener = file->socket();
    if (listener.type() == net::SocketType::Datagram)
        return Error::from_errno(EOPNOTSUPP);
    auto accepted = TRY(listener.accept(file->is_nonblocking()));
    auto peer = accepted->peer_address();
    u64 fd = TRY(install_socket(accepted, flags));
    if (arguments[1]) {
        // An unnamed client still reports its family (length 2), as getpeername does.
        net::UnixAddress unnamed;
        auto copied = copy_address_out(peer.is_error() ? &unnamed : &peer.value(), arguments[1], arguments[2]);
        if (copied.is_error()) {
            (void)current_process().files().close(static_cast<int>(fd));
            return copied.release_error();
        }
    }
    return fd;
}

} // namespace

// ---- read/write on socket fds (SocketIo.h) ----

ErrorOr<u64> socket_read(fs::OpenFile& file, u64 address, u64 count)
{
    net::SocketFile* socket = net::as_socket_file(file);
    if (count == 0)
        return 0; // read(2) of nothing consumes no record (Linux's sock_read_iter)
    UserVector data;
    if (!user::is_user_range(address, count))
        return Error::from_errno(EFAULT);
    data.single(address, count);
    auto outcome = TRY(receive_message(*socket, data, 0, 0, 0, 0, 0));
    return outcome.result;
}

ErrorOr<u64> socket_write(fs::OpenFile& file, u64 address, u64 count)
{
    net::SocketFile* socket = net::as_socket_file(file);
    UserVector data;
    if (!user::is_user_range(address, count))
        return Error::from_errno(EFAULT);
    data.single(address, count);
    return send_message(*socket, data, 0, 0, 0, 0, 0);
}

ErrorOr<u64> socket_read_vector(fs::OpenFile& file, u64 vectors, u64 count)
{
    net::SocketFile* socket = net::as_socket_file(file);
    UserVector data;
    TRY(data.load(vectors, count, false));
    if (data.total() == 0)
        return 0;
    auto outcome = TRY(receive_message(*socket, data, 0, 0, 0, 0, 0));
    return outcome.result;
}

ErrorOr<u64> socket_write_vector(fs::OpenFile& file, u64 vectors, u64 count)
{
    net::SocketFile* socket = net::as_socket_file(file);
    UserVector data;
    TRY(data.load(vectors, count, false));
    return send_message(*socket, data, 0, 0, 0, 0, 0);
}

bool is_socket(fs::OpenFile& file)
{
    return net::as_socket_file(file) != nullptr;
}

void socket_fd_closed()
{
    net::collect_garbage_if_needed();
}

// ---- the calls ----

// socket(domain, type, protocol)
SYSCALL_HANDLER(socket)
{
    net::SocketType type = TRY(check_socket_arguments(arguments[0], arguments[1], arguments[2]));
    net::collect_garbage_if_needed();
    auto socket = TRY(net::UnixSocket::try_create(type, credentials_of(current_process())));
    return install_socket(lib::move(socket), arguments[1]);
}

// socketpair(domain, type, protocol, fds[2])
SYSCALL_HANDLER(socketpair)
{
    net::SocketType type = TRY(check_socket_arguments(arguments[0], arguments[1], arguments[2]));
    net::collect_garbage_if_needed();
    proc::Process& process = current_process();
    auto first = TRY(net::UnixSocket::try_create(type, credentials_of(process)));
    auto second = TRY(net::UnixSocket::try_create(type, credentials_of(process)));
    net::UnixSocket::connect_pair(*first, *second);
    u32 status = (arguments[1] & SOCK_NONBLOCK_FLAG) ? fs::open_flag::NonBlocking : 0;
    auto first_file = TRY(net::SocketFile::try_create(first, status));
    auto second_file = TRY(net::SocketFile::try_create(second, status));
    auto close_on_exec = (arguments[1] & SOCK_CLOEXEC_FLAG) ? fs::CloseOnExec::Yes : fs::CloseOnExec::No;
    fs::FileTable& files = process.files();
    int first_fd = TRY(files.allocate(first_file, close_on_exec));
    auto second_fd = files.allocate(second_file, close_on_exec);
    if (second_fd.is_error()) {
        (void)files.close(first_fd);
        return second_fd.release_error();
    }
    int fds[2] = { first_fd, second_fd.value() };
    if (auto copied = user::copy_to_user(user::UserPtr<void>(arguments[3]), fds, sizeof(fds)); copied.is_error()) {
        (void)files.close(fds[0]);
        (void)files.close(fds[1]);
        return copied.release_error();
    }
    return 0;
}

// bind(fd, address, length)
SYSCALL_HANDLER(bind)
{
    auto file = TRY(socket_file(static_cast<int>(arguments[0])));
    net::UnixSocket& socket = file->socket();
    auto parsed = TRY(parse_user_address(arguments[1], arguments[2]));
    if (parsed.kind == net::AddressKind::Unspecified || arguments[2] < sizeof(u16))
        return Error::from_errno(EINVAL);
    if (parsed.kind != net::AddressKind::Path) {
        TRY(socket.bind(parsed, nullptr));
        return 0;
    }
    // A filesystem name: a new socket inode, EADDRINUSE if the name exists.
    proc::Process& process = current_process();
    StringView path = parsed.address.path_view();
    fs::Location base = TRY(base_location(process, AT_FDCWD, path));
    auto made = fs::vfs().make_node(process.context(), base, path, fs::mode::Socket | (0777 & ~process.umask()), 0);
    if (made.is_error())
        return Error::from_errno(made.error().code() == EEXIST ? EADDRINUSE : made.error().code());
    auto location = fs::vfs().resolve(process.context(), base, path, fs::FollowFinal::No);
    auto bound
        = location.is_error() ? ErrorOr<void>(location.release_error()) : socket.bind(parsed, location.value().vnode);
    if (bound.is_error()) {
        (void)fs::vfs().unlink(process.context(), base, path);
        return bound.release_error();
    }
    return 0;
}

// listen(fd, backlog)
SYSCALL_HANDLER(listen)
{
    auto file = TRY(socket_file(static_cast<int>(arguments[0])));
    TRY(file->socket().listen(static_cast<int>(arguments[1]), credentials_of(current_process())));
    return 0;
}

// accept(fd, address, length)
SYSCALL_HANDLER(accept)
{
    return accept_connection(arguments, 0);
}

// accept4(fd, address, length, flags)
SYSCALL_HANDLER(accept4)
{
    return accept_connection(arguments, arguments[3]);
}

// connect(fd, address, length)
SYSCALL_HANDLER(connect)
{
    auto file = TRY(socket_file(static_cast<int>(arguments[0])));
    net::UnixSocket& socket = file->socket();
    auto parsed = TRY(parse_user_address(arguments[1], arguments[2]));
    proc::Process& process = current_process();
    if (socket.type() == net::SocketType::Datagram) {
        if (arguments[2] < sizeof(u16))
            return Error::from_errno(EINVAL);
        if (parsed.kind == net::AddressKind::Unspecified) {
            TRY(socket.connect_datagram(nullptr));
            return 0;
        }
        if (parsed.kind == net::AddressKind::Unnamed)
            return Error::from_errno(EINVAL);
        if (socket.passes_credentials())
            TRY(socket.autobind());
        auto peer = TRY(find_socket(parsed, socket.type()));
        TRY(socket.connect_datagram(peer));
        return 0;
    }
    if (parsed.kind == net::AddressKind::Unspecified || parsed.kind == net::AddressKind::Unnamed)
        return Error::from_errno(EINVAL);
    if (socket.passes_credentials())
        TRY(socket.autobind());
    auto server_side = TRY(net::UnixSocket::try_create(socket.type(), credentials_of(process)));
    auto server = TRY(find_socket(parsed, socket.type()));
    TRY(socket.connect_stream(*server, server_side, credentials_of(process), file->is_nonblocking()));
    return 0;
}

// sendto(fd, buffer, length, flags, address, address_length)
SYSCALL_HANDLER(sendto)
{
    auto file = TRY(socket_file(static_cast<int>(arguments[0])));
    UserVector data;
    if (!user::is_user_range(arguments[1], arguments[2]))
        return Error::from_errno(EFAULT);
    data.single(arguments[1], arguments[2]);
    return send_message(*file, data, static_cast<u32>(arguments[3]), arguments[4], arguments[5], 0, 0);
}

// recvfrom(fd, buffer, length, flags, address, address_length)
SYSCALL_HANDLER(recvfrom)
{
    auto file = TRY(socket_file(static_cast<int>(arguments[0])));
    UserVector data;
    if (!user::is_user_range(arguments[1], arguments[2]))
        return Error::from_errno(EFAULT);
    data.single(arguments[1], arguments[2]);
    auto outcome = TRY(receive_message(*file, data, static_cast<u32>(arguments[3]), arguments[4], arguments[5], 0, 0));
    return outcome.result;
}

// sendmsg(fd, message, flags)
SYSCALL_HANDLER(sendmsg)
{
    auto file = TRY(socket_file(static_cast<int>(arguments[0])));
    MessageHeader header;
    TRY(user::copy_from_user(header, user::UserPtr<const MessageHeader>(arguments[1])));
    if (header.control_length > 0x7fffffff)
        return Error::from_errno(ENOBUFS);
    UserVector data;
    TRY(data.load(header.iov, header.iov_length, true));
    return send_message(*file, data, static_cast<u32>(arguments[2]), header.name, header.name_length, header.control,
        header.control_length);
}

// recvmsg(fd, message, flags): fills msg_namelen, msg_controllen, msg_flags.
SYSCALL_HANDLER(recvmsg)
{
    auto file = TRY(socket_file(static_cast<int>(arguments[0])));
    MessageHeader header;
    TRY(user::copy_from_user(header, user::UserPtr<const MessageHeader>(arguments[1])));
    UserVector data;
    TRY(data.load(header.iov, header.iov_length, true));
    // The name goes through a kernel length word, as msg_namelen is a u32 in the header.
    u64 name_length_address = arguments[1] + __builtin_offsetof(MessageHeader, name_length);
    if (header.name) {
        int zero_check = static_cast<int>(header.name_length);
        if (zero_check < 0)
            return Error::from_errno(EINVAL);
    }
    auto outcome = TRY(receive_message(*file, data, static_cast<u32>(arguments[2]), header.name,
        header.name ? name_length_address : 0, header.control, header.control_length));
    u64 control_used = outcome.control_used;
    TRY(user::copy_to_user(
        user::UserPtr<u64>(arguments[1] + __builtin_offsetof(MessageHeader, control_length)), control_used));
    int flags = static_cast<int>(outcome.flags);
    TRY(user::copy_to_user(user::UserPtr<int>(arguments[1] + __builtin_offsetof(MessageHeader, flags)), flags));
    return outcome.result;
}

// shutdown(fd, how)
SYSCALL_HANDLER(shutdown)
{
    auto file = TRY(socket_file(static_cast<int>(arguments[0])));
    int how = static_cast<int>(arguments[1]);
    if (how < 0 || how > 2)
        return Error::from_errno(EINVAL);
    TRY(file->socket().shutdown(static_cast<u8>(how + 1)));
    return 0;
}

// getsockname(fd, address, length)
SYSCALL_HANDLER(getsockname)
{
    auto file = TRY(socket_file(static_cast<int>(arguments[0])));
    net::UnixAddress address = file->socket().local_address();
    int capacity = 0;
    TRY(user::copy_from_user(capacity, user::UserPtr<const int>(arguments[2])));
    if (capacity < 0)
        return Error::from_errno(EINVAL);
    u8 buffer[net::SOCKADDR_UN_SIZE + 1];
    usize length = net::format_unix_address(address, { buffer, sizeof(buffer) });
    usize copied = min<usize>(length, static_cast<usize>(capacity));
    TRY(user::copy_to_user(user::UserPtr<void>(arguments[1]), buffer, copied));
    int reported = static_cast<int>(length);
    TRY(user::copy_to_user(user::UserPtr<int>(arguments[2]), reported));
    return 0;
}

// getpeername(fd, address, length)
SYSCALL_HANDLER(getpeername)
{
    auto file = TRY(socket_file(static_cast<int>(arguments[0])));
    net::UnixAddress address = TRY(file->socket().peer_address());
    int capacity = 0;
    TRY(user::copy_from_user(capacity, user::UserPtr<const int>(arguments[2])));
    if (capacity < 0)
        return Error::from_errno(EINVAL);
    u8 buffer[net::SOCKADDR_UN_SIZE + 1];
    usize length = net::format_unix_address(address, { buffer, sizeof(buffer) });
    usize copied = min<usize>(length, static_cast<usize>(capacity));
    TRY(user::copy_to_user(user::UserPtr<void>(arguments[1]), buffer, copied));
    int reported = static_cast<int>(length);
    TRY(user::copy_to_user(user::UserPtr<int>(arguments[2]), reported));
    return 0;
}

// setsockopt(fd, level, name, value, length)
SYSCALL_HANDLER(setsockopt)
{
    auto file = TRY(socket_file(static_cast<int>(arguments[0])));
    if (static_cast<int>(arguments[1]) != SOL_SOCKET_LEVEL)
        return Error::from_errno(EOPNOTSUPP);
    return set_option(*file, static_cast<int>(arguments[2]), arguments[3], static_cast<u32>(arguments[4]));
}

// getsockopt(fd, level, name, value, length)
SYSCALL_HANDLER(getsockopt)
{
    auto file = TRY(socket_file(static_cast<int>(arguments[0])));
    if (static_cast<int>(arguments[1]) != SOL_SOCKET_LEVEL)
        return Error::from_errno(EOPNOTSUPP);
    return get_option(*file, static_cast<int>(arguments[2]), arguments[3], arguments[4]);
}

} // namespace syscalls
