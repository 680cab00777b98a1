// Socket descriptions (see SocketFile.h).
#include <kernel/lib/Placement.h>
#include <net/socket/SocketFile.h>
#include <net/unix/Collector.h>

namespace net {

ErrorOr<NonnullRefPtr<SocketFile>> SocketFile::try_create(NonnullRefPtr<UnixSocket> socket, u32 flags)
{
    u32 status = (flags & fs::open_flag::NonBlocking) | fs::open_flag::ReadWrite;
    return adopt_nonnull_ref_or_enomem(new (std::nothrow) SocketFile(lib::move(socket), status));
}

SocketFile::SocketFile(NonnullRefPtr<UnixSocket> socket, u32 flags)
    : OpenFile(flags)
    , m_socket(lib::move(socket))
{
    m_socket->attach_file(this);
}

SocketFile::~SocketFile()
{
    m_socket->release();
    collect_garbage_if_needed();
}

bool SocketFile::is_nonblocking() const
{
    return flags() & fs::open_flag::NonBlocking;
}

ErrorOr<usize> SocketFile::read(Bytes buffer)
{
    ReceiveOptions options;
    options.nonblocking = is_nonblocking();
    Received received = TRY(m_socket->receive(buffer, options));
    FileRights::destroy(received.rights);
    return received.copied;
}

ErrorOr<usize> SocketFile::write(ReadonlyBytes data)
{
    usize sent = 0;
    do {
        usize size = data.size() - sent;
        if (m_socket->type() == SocketType::Stream && size > m_socket->stream_chunk_size())
            size = m_socket->stream_chunk_size();
        Message* message = TRY(Message::try_create(size));
        __builtin_memcpy(message->data(), data.data() + sent, size);
        auto result = m_socket->send(message, nullptr, is_nonblocking());
        if (result.is_error())
            return sent > 0 ? ErrorOr<usize>(sent) : result.release_error();
        sent += size;
    } while (sent < data.size());
    return sent;
}

ErrorOr<fs::Attributes> SocketFile::stat() const
{
    fs::Attributes attributes;
    attributes.inode = m_socket->id();
    attributes.mode = fs::mode::Socket | 0777;
    attributes.link_count = 1;
    attributes.block_size = 4096;
    return attributes;
}

u32 SocketFile::poll_readiness() const
{
    return m_socket->poll_readiness();
}

SocketFile* as_socket_file(fs::OpenFile& file)
{
    if (file.kind_name() != "socket")
        return nullptr;
    return static_cast<SocketFile*>(&file);
}

UnixSocket* unix_socket_of(const fs::OpenFile& file)
{
    if (file.kind_name() != "socket")
        return nullptr;
    return &static_cast<const SocketFile&>(file).socket();
}

} // namespace net
