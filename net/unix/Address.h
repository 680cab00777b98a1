#pragma once

// An AF_UNIX address as unix(7) defines it: unnamed, a filesystem path, or
// a name in the abstract namespace (sun_path starting with a NUL byte).
#include <kernel/lib/Error.h>
#include <kernel/lib/Span.h>
#include <kernel/lib/StringView.h>

namespace net {

inline constexpr u16 FAMILY_UNIX = 1;   // AF_UNIX, AF_LOCAL
inline constexpr u16 FAMILY_UNSPEC = 0; // AF_UNSPEC
inline constexpr usize UNIX_PATH_MAX = 108;
inline constexpr usize SUN_PATH_OFFSET = 2; // offsetof(struct sockaddr_un, sun_path)
inline constexpr usize SOCKADDR_UN_SIZE = SUN_PATH_OFFSET + UNIX_PATH_MAX;

struct UnixAddress {
    // Bytes of `path` in use: 0 when unnamed; for a filesystem path its
    // length plus the terminating NUL (what getsockname reports, as Linux).
    u16 length { 0 };
    char path[UNIX_PATH_MAX + 1] {}; // a 108-byte path gets its NUL past sun_path, as on Linux

    bool is_unnamed() const { return length == 0; }
    bool is_abstract() const { return length > 0 && path[0] == '\0'; }
    bool is_path() const { return length > 0 && path[0] != '\0'; }
    // The path without its NUL (filesystem addresses only).
    StringView path_view() const { return { path, static_cast<usize>(length - 1) }; }
    // The sockaddr length getsockname, getpeername and recvfrom report.
    usize sockaddr_length() const { return SUN_PATH_OFFSET + length; }
    bool operator==(const UnixAddress& other) const;
};

enum class AddressKind : u8 {
    Unnamed, // just the family: autobind for bind, AF_UNSPEC-like elsewhere
    Path,
    Abstract,
    Unspecified, // family AF_UNSPEC (connect: dissolve a datagram association)
};

struct ParsedAddress {
    AddressKind kind;
    UnixAddress address;
};

// Parses a sockaddr_un of `length` bytes copied from user space: EINVAL for
// a short or long length or another family (Linux's unix_validate_addr).
// A path ends at its first NUL or at the end of the given bytes.
ErrorOr<ParsedAddress> parse_unix_address(ReadonlyBytes sockaddr);

// Writes the sockaddr form of `address` into `out` (at least
// SOCKADDR_UN_SIZE + 1 bytes); returns its length.
usize format_unix_address(const UnixAddress& address, Bytes out);

} // namespace net
