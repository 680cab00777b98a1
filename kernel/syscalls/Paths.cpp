// Path operations: mkdir, mkdirat, unlink, unlinkat, rmdir, rename,
// renameat, symlink, readlink, access, faccessat, chmod. Paths resolve
// against the cwd or a directory fd (FileSupport.h); the errors are the
// VFS's, which follow Linux.
#include <kernel/syscalls/FileSupport.h>
#include <kernel/syscalls/Handlers.h>
#include <kernel/syscalls/UserPath.h>

namespace syscalls {

namespace {

constexpr u64 ACCESS_MODE_MASK = 7; // R_OK | W_OK | X_OK
constexpr u64 AT_EACCESS_FLAG = 0x200;

ErrorOr<u64> make_directory(int dirfd, u64 path_address, u32 mode)
{
    UserPath path_buffer;
    StringView path = TRY(path_buffer.copy(path_address));
    proc::Process& process = current_process();
    fs::Location base = TRY(base_location(process, dirfd, path));
    TRY(fs::vfs().make_directory(process.context(), base, path, mode & 07777));
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

ErrorOr<u64> rename_at(int old_dirfd, u64 old_address, int new_dirfd, u64 new_address)
{
    UserPath old_buffer;
    UserPath new_buffer;
    StringView old_path = TRY(old_buffer.copy(old_address));
    StringView new_path = TRY(new_buffer.copy(new_address));
    proc::Process& process = current_process();
    fs::Location old_base = TRY(base_location(process, old_dirfd, old_path));
    fs::Location new_base = TRY(base_location(process, new_dirfd, new_path));
    TRY(fs::vfs().rename(process.context(), old_base, old_path, new_base, new_path));
    return 0;
}

ErrorOr<u64> access_at(int dirfd, u64 path_address, u64 mode)
{
    if (mode & ~ACCESS_MODE_MASK)
        return Error::from_errno(EINVAL);
    UserPath path_buffer;
    StringView path = TRY(path_buffer.copy(path_address));
    proc::Process& process = current_process();
    fs::Location base = TRY(base_location(process, dirfd, path));
    TRY(fs::vfs().check_access(process.context(), base, path, static_cast<u32>(mode)));
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

SYSCALL_HANDLER(symlink)
{
    UserPath target_buffer;
    UserPath path_buffer;
    StringView target = TRY(target_buffer.copy(arguments[0]));
    StringView path = TRY(path_buffer.copy(arguments[1]));
    proc::Process& process = current_process();
    TRY(fs::vfs().symlink(process.context(), target, process.cwd(), path));
    return 0;
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

// faccessat(dirfd, path, mode, flags): root's real and effective ids are
// the same, so AT_EACCESS changes nothing.
SYSCALL_HANDLER(faccessat)
{
    if (arguments[3] & ~(AT_EACCESS_FLAG | AT_SYMLINK_NOFOLLOW))
        return Error::from_errno(EINVAL);
    return access_at(static_cast<int>(arguments[0]), arguments[1], arguments[2]);
}

SYSCALL_HANDLER(chmod)
{
    UserPath path_buffer;
    StringView path = TRY(path_buffer.copy(arguments[0]));
    proc::Process& process = current_process();
    fs::AttributeChange change;
    change.set_mode = true;
    change.mode = static_cast<u32>(arguments[1]) & 07777;
    TRY(fs::vfs().change_attributes(process.context(), process.cwd(), path, change, fs::FollowFinal::Yes));
    return 0;
}

} // namespace syscalls
