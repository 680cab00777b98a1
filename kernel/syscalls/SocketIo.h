#pragma once

// read, write, readv and writev on socket fds (Sockets.cpp): sockets move
// whole records and raise SIGPIPE themselves, so Files.cpp hands them over
// instead of copying through its bounce buffer.
#include <fs/vfs/OpenFile.h>
#include <kernel/lib/Error.h>

namespace syscalls {

bool is_socket(fs::OpenFile& file);
ErrorOr<u64> socket_read(fs::OpenFile& file, u64 address, u64 count);
ErrorOr<u64> socket_write(fs::OpenFile& file, u64 address, u64 count);
ErrorOr<u64> socket_read_vector(fs::OpenFile& file, u64 vectors, u64 count);
ErrorOr<u64> socket_write_vector(fs::OpenFile& file, u64 vectors, u64 count);
// After close(2) of a socket fd: sockets left reachable only through
// queued messages may have become garbage (net/unix/Collector.h).
void socket_fd_closed();

} // namespace syscalls
