// Credentials: getuid, geteuid, getgid, getegid, setuid, setgid,
// getgroups, setgroups, umask.
//
// A process has real, effective and saved user and group ids (Linux's
// fsuid/fsgid always follow the effective ones here); the VFS checks the
// effective ids (Process::credentials()). Root (effective uid 0) stands for
// CAP_SETUID, CAP_SETGID and CAP_SETGID-for-setgroups. The rules are Linux's
// kernel/sys.c: setuid by root sets all three ids, by others only the
// effective one and only to the real or saved id (EPERM otherwise).
#include <kernel/syscalls/Handlers.h>
#include <kernel/user/UserPtr.h>

namespace syscalls {

namespace {

constexpr u64 INVALID_ID = 0xffffffff; // (uid_t)-1
constexpr u64 NGROUPS_MAX = 65536;

} // namespace

SYSCALL_HANDLER(getuid)
{
    return current_process().saved_ids().real_uid;
}

SYSCALL_HANDLER(geteuid)
{
    return current_process().credentials().uid;
}

SYSCALL_HANDLER(getgid)
{
    return current_process().saved_ids().real_gid;
}

SYSCALL_HANDLER(getegid)
{
    return current_process().credentials().gid;
}

// setuid(uid): EINVAL for -1 (or an id that does not fit), EPERM.
SYSCALL_HANDLER(setuid)
{
    if (arguments[0] >= INVALID_ID)
        return Error::from_errno(EINVAL);
    u32 uid = static_cast<u32>(arguments[0]);
    proc::Process& process = current_process();
    auto& ids = process.saved_ids();
    if (process.credentials().is_root()) {
        ids.real_uid = ids.saved_uid = uid;
    } else if (uid != ids.real_uid && uid != ids.saved_uid) {
        return Error::from_errno(EPERM);
    }
    process.credentials().uid = uid;
    return 0;
}

// setgid(gid): EINVAL, EPERM, as setuid.
SYSCALL_HANDLER(setgid)
{
    if (arguments[0] >= INVALID_ID)
        return Error::from_errno(EINVAL);
    u32 gid = static_cast<u32>(arguments[0]);
    proc::Process& process = current_process();
    auto& ids = process.saved_ids();
    if (process.credentials().is_root()) {
        ids.real_gid = ids.saved_gid = gid;
    } else if (gid != ids.real_gid && gid != ids.saved_gid) {
        return Error::from_errno(EPERM);
    }
    process.credentials().gid = gid;
    return 0;
}

// getgroups(size, list): size 0 asks for the count; EINVAL if the list is
// smaller than the count; EFAULT.
SYSCALL_HANDLER(getgroups)
{
    const fs::Credentials& credentials = current_process().credentials();
    i64 size = static_cast<i32>(arguments[0]);
    if (size < 0)
        return Error::from_errno(EINVAL);
    if (size == 0)
        return credentials.group_count;
    if (static_cast<u64>(size) < credentials.group_count)
        return Error::from_errno(EINVAL);
    for (u32 i = 0; i < credentials.group_count; ++i)
        TRY(user::copy_to_user(user::UserPtr<u32>(arguments[1] + i * sizeof(u32)), credentials.groups[i]));
    return credentials.group_count;
}

// setgroups(size, list): EPERM unless root; EINVAL beyond NGROUPS_MAX, and
// beyond the Credentials::MAX_GROUPS Osprey keeps; EFAULT.
SYSCALL_HANDLER(setgroups)
{
    proc::Process& process = current_process();
    if (!process.credentials().is_root())
        return Error::from_errno(EPERM);
    u64 size = static_cast<u32>(arguments[0]);
    if (size > NGROUPS_MAX || size > fs::Credentials::MAX_GROUPS)
        return Error::from_errno(EINVAL);
    u32 groups[fs::Credentials::MAX_GROUPS];
    for (u64 i = 0; i < size; ++i)
        TRY(user::copy_from_user(groups[i], user::UserPtr<const u32>(arguments[1] + i * sizeof(u32))));
    fs::Credentials& credentials = process.credentials();
    for (u64 i = 0; i < size; ++i)
        credentials.groups[i] = groups[i];
    credentials.group_count = static_cast<u32>(size);
    return 0;
}

// umask(mask): sets the file-creation mask, returns the old one. Never fails.
SYSCALL_HANDLER(umask)
{
    proc::Process& process = current_process();
    u32 old = process.umask();
    process.set_umask(static_cast<u32>(arguments[0]));
    return old;
}

} // namespace syscalls
