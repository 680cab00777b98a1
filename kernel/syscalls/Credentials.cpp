// Credentials: getuid, geteuid, getgid, getegid, setuid, setgid,
// setreuid, setregid, setresuid, setresgid, getresuid, getresgid,
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

namespace {

// The three ids of one kind (user or group) as the set*id rules see them.
struct IdTriple {
    u32 real;
    u32 effective;
    u32 saved;

    bool holds(u32 id) const { return id == real || id == effective || id == saved; }
};

constexpr u32 KEEP = 0xffffffff; // -1: leave this id as it is

IdTriple user_ids(proc::Process& process)
{
    auto& ids = process.saved_ids();
    return { ids.real_uid, process.credentials().uid, ids.saved_uid };
}

IdTriple group_ids(proc::Process& process)
{
    auto& ids = process.saved_ids();
    return { ids.real_gid, process.credentials().gid, ids.saved_gid };
}

void store_user_ids(proc::Process& process, const IdTriple& triple)
{
    process.saved_ids().real_uid = triple.real;
    process.credentials().uid = triple.effective;
    process.saved_ids().saved_uid = triple.saved;
}

void store_group_ids(proc::Process& process, const IdTriple& triple)
{
    process.saved_ids().real_gid = triple.real;
    process.credentials().gid = triple.effective;
    process.saved_ids().saved_gid = triple.saved;
}

// setresuid/setresgid (Linux kernel/sys.c): without privilege each new id
// must be one of the current three. EPERM.
ErrorOr<IdTriple> set_res(IdTriple current, bool privileged, u64 real, u64 effective, u64 saved)
{
    u32 wanted[3] = { static_cast<u32>(real), static_cast<u32>(effective), static_cast<u32>(saved) };
    for (u32 id : wanted) {
        if (id != KEEP && !privileged && !current.holds(id))
            return Error::from_errno(EPERM);
    }
    if (wanted[0] != KEEP)
        current.real = wanted[0];
    if (wanted[1] != KEEP)
        current.effective = wanted[1];
    if (wanted[2] != KEEP)
        current.saved = wanted[2];
    return current;
}

// setreuid/setregid: without privilege the real id may become the real or
// effective one, the effective id the real, effective or saved one. When
// the real id is set, or the effective one moves off the old real id, the
// saved id becomes the new effective one. EPERM.
ErrorOr<IdTriple> set_re(IdTriple current, bool privileged, u64 real, u64 effective)
{
    u32 new_real = static_cast<u32>(real);
    u32 new_effective = static_cast<u32>(effective);
    IdTriple result = current;
    if (new_real != KEEP) {
        if (!privileged && new_real != current.real && new_real != current.effective)
            return Error::from_errno(EPERM);
        result.real = new_real;
    }
    if (new_effective != KEEP) {
        if (!privileged && !current.holds(new_effective))
            return Error::from_errno(EPERM);
        result.effective = new_effective;
    }
    if (new_real != KEEP || (new_effective != KEEP && new_effective != current.real))
        result.saved = result.effective;
    return result;
}

ErrorOr<u64> copy_triple_out(const IdTriple& triple, const Arguments& arguments)
{
    TRY(user::copy_to_user(user::UserPtr<u32>(arguments[0]), triple.real));
    TRY(user::copy_to_user(user::UserPtr<u32>(arguments[1]), triple.effective));
    TRY(user::copy_to_user(user::UserPtr<u32>(arguments[2]), triple.saved));
    return 0;
}

} // namespace

SYSCALL_HANDLER(setresuid)
{
    proc::Process& process = current_process();
    store_user_ids(process,
        TRY(set_res(user_ids(process), process.credentials().is_root(), arguments[0], arguments[1], arguments[2])));
    return 0;
}

// Privilege for group changes is CAP_SETGID, which root (effective uid 0) holds.
SYSCALL_HANDLER(setresgid)
{
    proc::Process& process = current_process();
    store_group_ids(process,
        TRY(set_res(group_ids(process), process.credentials().is_root(), arguments[0], arguments[1], arguments[2])));
    return 0;
}

SYSCALL_HANDLER(setreuid)
{
    proc::Process& process = current_process();
    store_user_ids(
        process, TRY(set_re(user_ids(process), process.credentials().is_root(), arguments[0], arguments[1])));
    return 0;
}

SYSCALL_HANDLER(setregid)
{
    proc::Process& process = current_process();
    store_group_ids(
        process, TRY(set_re(group_ids(process), process.credentials().is_root(), arguments[0], arguments[1])));
    return 0;
}

SYSCALL_HANDLER(getresuid)
{
    return copy_triple_out(user_ids(current_process()), arguments);
}

SYSCALL_HANDLER(getresgid)
{
    return copy_triple_out(group_ids(current_process()), arguments);
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
