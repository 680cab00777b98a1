// Permission checks; see Permissions.h for the rules.
#include <fs/vfs/Permissions.h>

namespace fs {

ErrorOr<void> check_access(const Attributes& attributes, const Credentials& credentials, u32 wanted)
{
    wanted &= access::Read | access::Write | access::Execute;
    if (credentials.is_root()) {
        if (!(wanted & access::Execute) || attributes.is_directory())
            return {};
        if (attributes.mode & 0111)
            return {};
        return Error::from_errno(EACCES);
    }
    u32 granted;
    if (credentials.uid == attributes.uid)
        granted = (attributes.mode >> 6) & 7;
    else if (credentials.in_group(attributes.gid))
        granted = (attributes.mode >> 3) & 7;
    else
        granted = attributes.mode & 7;
    if ((granted & wanted) != wanted)
        return Error::from_errno(EACCES);
    return {};
}

ErrorOr<void> check_sticky(const Attributes& directory, const Attributes& victim, const Credentials& credentials)
{
    if (!(directory.mode & mode::Sticky) || credentials.is_root())
        return {};
    if (credentials.uid == victim.uid || credentials.uid == directory.uid)
        return {};
    return Error::from_errno(EPERM);
}

ErrorOr<void> check_change(const Attributes& attributes, const AttributeChange& change, const Credentials& credentials)
{
    if (credentials.is_root())
        return {};
    bool owner = credentials.uid == attributes.uid;
    if (change.set_mode && !owner)
        return Error::from_errno(EPERM);
    if (change.set_uid && change.uid != attributes.uid)
        return Error::from_errno(EPERM);
    if (change.set_gid && change.gid != attributes.gid && (!owner || !credentials.in_group(change.gid)))
        return Error::from_errno(EPERM);
    // Setting times to explicit values needs ownership; "now" needs write
    // access, which the caller checks (Linux utimes_common).
    if ((change.set_access_time || change.set_modify_time) && !owner)
        return Error::from_errno(EPERM);
    return {};
}

} // namespace fs
