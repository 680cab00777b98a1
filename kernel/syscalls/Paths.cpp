// Path operations: mkdir, mkdirat, unlink, unlinkat, rmdir, rename,
// renameat, renameat2, link, linkat, symlink, symlinkat, readlink,
// readlinkat, access, faccessat, chmod, fchmodat, chown, lchown, fchownat,
// utimensat, truncate. Paths resolve against the cwd or a directory fd
// (FileSupport.h); the errors are the VFS's, which follow Linux. New files
// and directories get the caller's umask.
#include <kernel/syscalls/FileSupport.h>
#include <kernel/syscalls/Handlers.h>
#include <kernel/syscalls/UserPath.h>

namespace syscalls {

namespace {

constexpr u64 ACCESS_MODE_MASK = 7; // R_OK | W_OK | X_OK
constexpr u64 AT_EACCESS_FLAG = 0x200;
constexpr u64 AT_SYMLINK_FOLLOW_FLAG = 0x400;
constexpr u32 NO_CHANGE_ID = 0xffffffff; // chown's -1
constexpr i64 UTIME_NOW = (1l << 30) - 1;
constexpr i64 UTIME_OMIT = (1l << 30) - 2;
constexpr i64 NANOSECONDS_PER_SECOND = 1'000'000'000;

ErrorOr<u64> make_directory(int dirfd, u64 path_address, u32 mode)
{
    UserPath path_buffer;
    StringView path = TRY(path_buffer.copy(path_address));
    proc::Process& process = current_process();
    fs::Location base = TRY(base_location(process, dirfd, path));
    TRY(fs::vfs().make_directory(process.context(), base, path, mode & 07777 & ~process.umask()));
    return 0;
}

ErrorOr<u64> remove(int dirfd, u64 path_address, bool directory)
{
    UserPath path_buffer;
    StringView path = TRY(path_buffer.copy(path_address));
    proc::Process& process = current_process();
    fs::Location base = TRY(base_location(process, dirfd, path));
    if (directory)
        TRY(fs::vfs().remove_directory(process.context(), base, path));
    else
        TRY(fs::vfs().unlink(process.context(), base, path));
    return 0;
}

ErrorOr<u64> rename_at(int old_dirfd, u64 old_address, int new_dirfd, u64 new_address, u32 flags = 0)
{
    UserPath old_buffer;
    UserPath new_buffer;
    StringView old_path = TRY(old_buffer.copy(old_address));
    StringView new_path = TRY(new_buffer.copy(new_address));
    proc::Process& process = current_process();
    fs::Location old_base = TRY(base_location(process, old_dirfd, old_path));
    fs::Location new_base = TRY(base_location(process, new_dirfd, new_path));
    TRY(fs::vfs().rename(process.context(), old_base, old_path, new_base, new_path, flags));
    return 0;
}

ErrorOr<u64> link_at(int old_dirfd, u64 old_address, int new_dirfd, u64 new_address, fs::FollowFinal follow)
{
    UserPath old_buffer;
    UserPath new_buffer;
    StringView old_path = TRY(old_buffer.copy(old_address));
    StringView new_path = TRY(new_buffer.copy(new_address));
    proc::Process& process = current_process();
    fs::Location old_base = TRY(base_location(process, old_dirfd, old_path));
    fs::Location new_base = TRY(base_location(process, new_dirfd, new_path));
    TRY(fs::vfs().link(process.context(), old_base, old_path, new_base, new_path, follow));
    return 0;
}

ErrorOr<u64> symlink_at(u64 target_address, int dirfd, u64 path_address)
{
    UserPath target_buffer;
    UserPath path_buffer;
    StringView target = TRY(target_buffer.copy(target_address));
    StringView path = TRY(path_buffer.copy(path_address));
    proc::Process& process = current_process();
    fs::Location base = TRY(base_location(process, dirfd, path));
    TRY(fs::vfs().symlink(process.context(), target, base, path));
    return 0;
}

ErrorOr<u64> change_at(int dirfd, u64 path_address, const fs::AttributeChange& change, fs::FollowFinal follow)
{
    UserPath path_buffer;
    StringView path = TRY(path_buffer.copy(path_address));
    proc::Process& process = current_process();
    fs::Location base = TRY(base_location(process, dirfd, path));
    TRY(fs::vfs().change_attributes(process.context(), base, path, change, follow));
    return 0;
}

fs::AttributeChange mode_change(u64 mode)
{
    fs::AttributeChange change;
    change.set_mode = true;
    change.mode = static_cast<u32>(mode) & 07777;
    return change;
}

// chown's ids: -1 leaves one unchanged.
fs::AttributeChange owner_change(u64 uid, u64 gid)
{
    fs::AttributeChange change;
    change.set_uid = static_cast<u32>(uid) != NO_CHANGE_ID;
    change.uid = static_cast<u32>(uid);
    change.set_gid = static_cast<u32>(gid) != NO_CHANGE_ID;
    change.gid = static_cast<u32>(gid);
    return change;
}

// access(2) checks with the real ids (Linux's do_faccessat), AT_EACCESS
// with the effective ones.
ErrorOr<u64> access_at(int dirfd, u64 path_address, u64 mode, u64 flags = 0)
{
    if (mode & ~ACCESS_MODE_MASK)
        return Error::from_errno(EINVAL);
    UserPath path_buffer;
    StringView path = TRY(path_buffer.copy(path_address));
    proc::Process& process = current_process();
    fs::Location base = TRY(base_location(process, dirfd, path));
    fs::Context context = process.context();
    if (!(flags & AT_EACCESS_FLAG)) {
        context.credentials.uid = process.saved_ids().real_uid;
        context.credentials.gid = process.saved_ids().real_gid;
    }
    auto follow = (flags & AT_SYMLINK_NOFOLLOW) ? fs::FollowFinal::No : fs::FollowFinal::Yes;
    TRY(fs::vfs().check_access(context, base, path, static_cast<u32>(mode), follow));
    return 0;
}

ErrorOr<u64> read_link_at(int dirfd, u64 path_address, u64 buffer_address, u64 size)
{
    if (static_cast<i64>(size) <= 0)
        return Error::from_errno(EINVAL);
    UserPath path_buffer;
    StringView path = TRY(path_buffer.copy(path_address));
    proc::Process& process = current_process();
    fs::Location base = TRY(base_location(process, dirfd, path));
    KernelBuffer buffer(min<u64>(size, fs::MAX_PATH_LENGTH));
    if (buffer.is_null())
        return Error::from_errno(ENOMEM);
    usize length = TRY(fs::vfs().read_link(process.context(), base, path, buffer.span()));
    TRY(user::copy_to_user(user::UserPtr<void>(buffer_address), buffer.span().data(), length));
    return length;
}

} // namespace

SYSCALL_HANDLER(mkdir)
{
    return make_directory(AT_FDCWD, arguments[0], static_cast<u32>(arguments[1]));
}

SYSCALL_HANDLER(mkdirat)
{
    return make_directory(static_cast<int>(arguments[0]), arguments[1], static_cast<u32>(arguments[2]));
}

SYSCALL_HANDLER(unlink)
{
    return remove(AT_FDCWD, arguments[0], false);
}

SYSCALL_HANDLER(rmdir)
{
    return remove(AT_FDCWD, arguments[0], true);
}

// unlinkat(dirfd, path, flags): AT_REMOVEDIR makes it rmdir; EINVAL for
// other flags.
SYSCALL_HANDLER(unlinkat)
{
    if (arguments[2] & ~u64(AT_REMOVEDIR))
        return Error::from_errno(EINVAL);
    return remove(static_cast<int>(arguments[0]), arguments[1], arguments[2] & AT_REMOVEDIR);
}

SYSCALL_HANDLER(rename)
{
    return rename_at(AT_FDCWD, arguments[0], AT_FDCWD, arguments[1]);
}

SYSCALL_HANDLER(renameat)
{
    return rename_at(static_cast<int>(arguments[0]), arguments[1], static_cast<int>(arguments[2]), arguments[3]);
}

// renameat2(olddirfd, oldpath, newdirfd, newpath, flags): RENAME_NOREPLACE
// (EEXIST) and RENAME_EXCHANGE; EINVAL for RENAME_WHITEOUT, unknown flags or
// both. The filesystem checks NOREPLACE under its own lock as part of the
// rename, so of racing renames onto one name only one succeeds.
SYSCALL_HANDLER(renameat2)
{
    if (arguments[4] > 0xffffffff)
        return Error::from_errno(EINVAL);
    return rename_at(static_cast<int>(arguments[0]), arguments[1], static_cast<int>(arguments[2]), arguments[3],
        static_cast<u32>(arguments[4]));
}

SYSCALL_HANDLER(link)
{
    return link_at(AT_FDCWD, arguments[0], AT_FDCWD, arguments[1], fs::FollowFinal::No);
}

// linkat(olddirfd, oldpath, newdirfd, newpath, flags): AT_SYMLINK_FOLLOW;
// EINVAL for other flags (AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH and is
// not supported).
SYSCALL_HANDLER(linkat)
{
    if (arguments[4] & ~AT_SYMLINK_FOLLOW_FLAG)
        return Error::from_errno(EINVAL);
    auto follow = (arguments[4] & AT_SYMLINK_FOLLOW_FLAG) ? fs::FollowFinal::Yes : fs::FollowFinal::No;
    return link_at(static_cast<int>(arguments[0]), arguments[1], static_cast<int>(arguments[2]), arguments[3], follow);
}

SYSCALL_HANDLER(symlink)
{
    return symlink_at(arguments[0], AT_FDCWD, arguments[1]);
}

SYSCALL_HANDLER(symlinkat)
{
    return symlink_at(arguments[0], static_cast<int>(arguments[1]), arguments[2]);
}

SYSCALL_HANDLER(readlink)
{
    return read_link_at(AT_FDCWD, arguments[0], arguments[1], arguments[2]);
}

SYSCALL_HANDLER(readlinkat)
{
    return read_link_at(static_cast<int>(arguments[0]), arguments[1], arguments[2], arguments[3]);
}

SYSCALL_HANDLER(access)
{
    return access_at(AT_FDCWD, arguments[0], arguments[1]);
}

// faccessat(dirfd, path, mode): Linux's system call has no flags argument.
SYSCALL_HANDLER(faccessat)
{
    return access_at(static_cast<int>(arguments[0]), arguments[1], arguments[2]);
}

// faccessat2(dirfd, path, mode, flags): AT_EACCESS checks with the effective
// ids, AT_SYMLINK_NOFOLLOW checks a final symlink itself, AT_EMPTY_PATH is
// not supported; EINVAL for other flags.
SYSCALL_HANDLER(faccessat2)
{
    if (arguments[3] & ~(AT_EACCESS_FLAG | AT_SYMLINK_NOFOLLOW))
        return Error::from_errno(EINVAL);
    return access_at(static_cast<int>(arguments[0]), arguments[1], arguments[2], arguments[3]);
}

SYSCALL_HANDLER(chmod)
{
    return change_at(AT_FDCWD, arguments[0], mode_change(arguments[1]), fs::FollowFinal::Yes);
}

// fchmodat(dirfd, path, mode, flags): Linux's system call has no flags
// argument (glibc emulates AT_SYMLINK_NOFOLLOW), so the fourth is ignored.
SYSCALL_HANDLER(fchmodat)
{
    return change_at(static_cast<int>(arguments[0]), arguments[1], mode_change(arguments[2]), fs::FollowFinal::Yes);
}

SYSCALL_HANDLER(chown)
{
    return change_at(AT_FDCWD, arguments[0], owner_change(arguments[1], arguments[2]), fs::FollowFinal::Yes);
}

SYSCALL_HANDLER(lchown)
{
    return change_at(AT_FDCWD, arguments[0], owner_change(arguments[1], arguments[2]), fs::FollowFinal::No);
}

// fchownat(dirfd, path, uid, gid, flags): AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH
// (the dirfd itself); EINVAL for other flags.
SYSCALL_HANDLER(fchownat)
{
    u64 flags = arguments[4];
    if (flags & ~u64(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return Error::from_errno(EINVAL);
    fs::AttributeChange change = owner_change(arguments[2], arguments[3]);
    int dirfd = static_cast<int>(arguments[0]);
    if (flags & AT_EMPTY_PATH) {
        UserPath path_buffer;
        StringView path = TRY(path_buffer.copy(arguments[1]));
        if (path.is_empty()) {
            proc::Process& process = current_process();
            NonnullRefPtr<fs::Vnode> vnode
                = dirfd == AT_FDCWD ? NonnullRefPtr<fs::Vnode>(*process.cwd().vnode) : TRY(vnode_of_fd(process, dirfd));
            TRY(fs::vfs().change_attributes_of(process.context(), *vnode, change));
            return 0;
        }
    }
    auto follow = (flags & AT_SYMLINK_NOFOLLOW) ? fs::FollowFinal::No : fs::FollowFinal::Yes;
    return change_at(dirfd, arguments[1], change, follow);
}

// utimensat(dirfd, path, times, flags): times null sets both to now; a
// tv_nsec of UTIME_NOW or UTIME_OMIT does that for one; a null path works on
// dirfd itself (futimens). Flags: AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH.
// EINVAL for a bad tv_nsec or flags; EPERM/EACCES as Linux.
SYSCALL_HANDLER(utimensat)
{
    u64 flags = arguments[3];
    if (flags & ~u64(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return Error::from_errno(EINVAL);
    struct UserTimespec {
        i64 seconds;
        i64 nanoseconds;
    } times[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
    if (arguments[2])
        TRY(user::copy_from_user(times, user::UserPtr<const UserTimespec[2]>(arguments[2])));
    fs::AttributeChange change;
    bool to_now = true;
    fs::Timespec now = fs::current_time();
    for (int i = 0; i < 2; ++i) {
        i64 nanoseconds = times[i].nanoseconds;
        if (nanoseconds == UTIME_OMIT)
            continue;
        if (nanoseconds != UTIME_NOW && (nanoseconds < 0 || nanoseconds >= NANOSECONDS_PER_SECOND))
            return Error::from_errno(EINVAL);
        fs::Timespec value = nanoseconds == UTIME_NOW ? now : fs::Timespec { times[i].seconds, nanoseconds };
        to_now = to_now && nanoseconds == UTIME_NOW;
        if (i == 0) {
            change.set_access_time = true;
            change.access_time = value;
        } else {
            change.set_modify_time = true;
            change.modify_time = value;
        }
    }
    proc::Process& process = current_process();
    int dirfd = static_cast<int>(arguments[0]);
    if (!arguments[1]) {
        // futimens: the fd itself (EFAULT for AT_FDCWD, as Linux).
        if (dirfd == AT_FDCWD)
            return Error::from_errno(EFAULT);
        auto vnode = TRY(vnode_of_fd(process, dirfd));
        if (!change.set_access_time && !change.set_modify_time)
            return 0;
        TRY(fs::vfs().change_attributes_of(process.context(), *vnode, change, to_now));
        return 0;
    }
    UserPath path_buffer;
    StringView path = TRY(path_buffer.copy(arguments[1]));
    fs::Location base = TRY(base_location(process, dirfd, path));
    auto follow = (flags & AT_SYMLINK_NOFOLLOW) ? fs::FollowFinal::No : fs::FollowFinal::Yes;
    if (!change.set_access_time && !change.set_modify_time) {
        (void)TRY(fs::vfs().resolve(process.context(), base, path, follow));
        return 0;
    }
    TRY(fs::vfs().change_times(process.context(), base, path, change, to_now, follow));
    return 0;
}

// truncate(path, length): EINVAL for a negative length; EISDIR, EACCES...
SYSCALL_HANDLER(truncate)
{
    if (static_cast<i64>(arguments[1]) < 0)
        return Error::from_errno(EINVAL);
    UserPath path_buffer;
    StringView path = TRY(path_buffer.copy(arguments[0]));
    proc::Process& process = current_process();
    TRY(fs::vfs().truncate(process.context(), process.cwd(), path, arguments[1]));
    if (auto location = fs::vfs().resolve(process.context(), process.cwd(), path, fs::FollowFinal::Yes);
        !location.is_error())
        process.memory().drop_file_pages_past_end(*location.value().vnode, arguments[1]);
    return 0;
}

} // namespace syscalls
