#pragma once

// The open file description of a socket: what socket(2), socketpair(2) and
// accept(2) install in the fd table. It owns one reference to its socket;
// when the last fd (in any process, or in a queued SCM_RIGHTS message) goes
// away the socket is released: its peer sees EOF, its name is freed and
// the messages still queued on it are dropped with the descriptions they
// carry.
#include <fs/vfs/OpenFile.h>
#include <net/unix/UnixSocket.h>

namespace net {

class SocketFile final : public fs::OpenFile {
public:
    // `flags` may hold O_NONBLOCK.
    static ErrorOr<NonnullRefPtr<SocketFile>> try_create(NonnullRefPtr<UnixSocket> socket, u32 flags);
    ~SocketFile() override;

    // read(2) and write(2) without ancillary data (the system-call layer
    // has its own paths for user memory; these serve kernel callers).
    ErrorOr<usize> read(Bytes buffer) override;
    ErrorOr<usize> write(ReadonlyBytes data) override;
    ErrorOr<fs::Attributes> stat() const override;
    u32 poll_readiness() const override;
    const void* readiness_key() const override { return m_socket.ptr(); }
    StringView kind_name() const override { return "socket"; }

    UnixSocket& socket() const { return *m_socket; }
    bool is_nonblocking() const;

private:
    SocketFile(NonnullRefPtr<UnixSocket> socket, u32 flags);

    NonnullRefPtr<UnixSocket> m_socket;
};

// The socket behind a description, or null when it is another kind.
SocketFile* as_socket_file(fs::OpenFile& file);
UnixSocket* unix_socket_of(const fs::OpenFile& file);

} // namespace net
