// The rights algebra; see Rights.h.
#include <ipc/Rights.h>

namespace ipc {

ErrorOr<Rights> rights_for_duplicate(Rights held)
{
    if (!has_rights(held, IPC_RIGHT_DUPLICATE))
        return Error::from_errno(EACCES);
    return held;
}

ErrorOr<Rights> rights_for_diminish(Rights held, Rights requested)
{
    if (requested & ~IPC_RIGHTS_ALL)
        return Error::from_errno(EINVAL);
    if (!has_rights(held, IPC_RIGHT_DIMINISH))
        return Error::from_errno(EACCES);
    if (!is_subset(requested, held))
        return Error::from_errno(EPERM);
    return requested;
}

ErrorOr<void> check_transferable(Rights held)
{
    if (!has_rights(held, IPC_RIGHT_TRANSFER))
        return Error::from_errno(EACCES);
    if (held & IPC_RIGHT_RECEIVE)
        return Error::from_errno(EINVAL);
    return {};
}

u64 diminished_expiry(u64 current_expiry_ns, u64 now_ns, u64 lifetime_ns)
{
    if (lifetime_ns == 0)
        return current_expiry_ns;
    // Saturate: a lifetime past the end of the clock means "no new limit",
    // and 0 is reserved for "never expires".
    u64 proposed = lifetime_ns > ~u64(0) - now_ns ? ~u64(0) : now_ns + lifetime_ns;
    if (proposed == 0)
        proposed = 1;
    if (current_expiry_ns == 0)
        return proposed;
    return proposed < current_expiry_ns ? proposed : current_expiry_ns;
}

} // namespace ipc
