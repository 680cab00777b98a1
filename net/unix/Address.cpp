// AF_UNIX addresses (see Address.h).
#include <net/unix/Address.h>

namespace net {

bool UnixAddress::operator==(const UnixAddress& other) const
{
    return length == other.length && __builtin_memcmp(path, other.path, length) == 0;
}

ErrorOr<ParsedAddress> parse_unix_address(ReadonlyBytes sockaddr)
{
    if (sockaddr.size() < sizeof(u16) || sockaddr.size() > SOCKADDR_UN_SIZE)
        return Error::from_errno(EINVAL);
    u16 family = static_cast<u16>(sockaddr[0] | (sockaddr[1] << 8));
    ParsedAddress parsed { AddressKind::Unnamed, {} };
    if (family == FAMILY_UNSPEC) {
        parsed.kind = AddressKind::Unspecified;
        return parsed;
    }
    if (family != FAMILY_UNIX)
        return Error::from_errno(EINVAL);
    usize available = sockaddr.size() - SUN_PATH_OFFSET;
    if (available == 0)
        return parsed;
    const u8* path = sockaddr.data() + SUN_PATH_OFFSET;
    if (path[0] == 0) {
        parsed.kind = AddressKind::Abstract;
        parsed.address.length = static_cast<u16>(available);
        __builtin_memcpy(parsed.address.path, path, available);
        return parsed;
    }
    usize length = 0;
    while (length < available && path[length] != 0)
        ++length;
    parsed.kind = AddressKind::Path;
    __builtin_memcpy(parsed.address.path, path, length);
    parsed.address.path[length] = '\0';
    parsed.address.length = static_cast<u16>(length + 1);
    return parsed;
}

usize format_unix_address(const UnixAddress& address, Bytes out)
{
    out[0] = static_cast<u8>(FAMILY_UNIX);
    out[1] = 0;
    __builtin_memcpy(out.data() + SUN_PATH_OFFSET, address.path, address.length);
    return address.sockaddr_length();
}

} // namespace net
