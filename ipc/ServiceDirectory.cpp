// Service names; see ServiceDirectory.h.
#include <ipc/ServiceDirectory.h>

namespace ipc {

namespace {

bool is_name_character(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
        || c == '-';
}

} // namespace

ErrorOr<void> check_service_name(StringView name)
{
    if (name.length() > IPC_SERVICE_NAME_MAX)
        return Error::from_errno(ENAMETOOLONG);
    if (name.is_empty())
        return Error::from_errno(EINVAL);
    for (usize i = 0; i < name.length(); ++i) {
        if (!is_name_character(name[i]))
            return Error::from_errno(EINVAL);
    }
    return {};
}

} // namespace ipc
