// File descriptors: open, openat, close, read, write, readv, writev,
// pread64, pwrite64, lseek, fstat, stat, lstat, newfstatat, getdents64, dup,
// dup2, dup3, fcntl, fchmod, fchown, ftruncate, on the calling process's
// FileTable and fs::vfs(). open's mode gets the caller's umask.
//
// Paths are resolved against the cwd, or for the *at calls against a
// directory fd (AT_FDCWD = the cwd). Transfers move through a kernel bounce
// buffer of IO_CHUNK bytes; a fault after some bytes moved returns the count
// so far, as Linux does. One call moves at most MAX_RW_COUNT bytes.
#include <fs/vfs/Stat.h>
#include <kernel/api/fcntl.h>
#include <kernel/api/stat.h>
#include <kernel/lib/New.h>
#include <kernel/proc/Signals.h>
#include <kernel/syscalls/FileSupport.h>
#include <kernel/syscalls/Handlers.h>
#include <kernel/syscalls/SocketIo.h>
#include <kernel/syscalls/UserPath.h>

namespace syscalls {

namespace {

constexpr u64 MAX_RW_COUNT = 0x7ffff000;
constexpr usize IO_CHUNK = 512;
constexpr usize IOV_MAX = 1024;
constexpr u32 FD_CLOEXEC_FLAG = 1;
constexpr int F_SETFD_CODE = 2;
constexpr int F_GETFL_CODE = 3;
constexpr int F_SETFL_CODE = 4;

enum class Direction : u8 {
    Read,
    Write,
};

// Bytes already moved win over a later error, as on Linux.
ErrorOr<u64> partial(u64 done, Error error)
{
    if (done)
        return done;
    return error;
}

// Block device files (fs/devfs/BlockDeviceFile.h) go to the device for
// every call: a larger heap bounce buffer makes one device request cover
// many sectors instead of one per IO_CHUNK. Other kinds keep the stack
// buffer (pipes and terminals move little at a time anyway). Without
// memory for it the stack buffer serves.
constexpr usize BLOCK_IO_CHUNK = usize(128) * 1024;

struct BounceBuffer {
    BounceBuffer(fs::OpenFile& file, u64 count)
    {
        if (count <= IO_CHUNK || file.kind_name() != StringView("block"))
            return;
        size = static_cast<usize>(min<u64>(count, BLOCK_IO_CHUNK));
        data = new (std::nothrow) u8[size];
    }
    ~BounceBuffer() { delete[] data; }
    BounceBuffer(const BounceBuffer&) = delete;
    BounceBuffer& operator=(const BounceBuffer&) = delete;

    u8* data { nullptr };
    usize size { 0 };
};

// One transfer between `file` and user memory; `offset` < 0 uses and moves
// the file offset, otherwise pread/pwrite at that position.
ErrorOr<u64> transfer(fs::OpenFile& file, Direction direction, u64 address, u64 count, i64 offset)
{
    count = min(count, MAX_RW_COUNT);
    if (!user::is_user_range(address, count))
        return Error::from_errno(EFAULT);
    if (direction == Direction::Read && !file.is_readable())
        return Error::from_errno(EBADF);
    if (direction == Direction::Write && !file.is_writable())
        return Error::from_errno(EBADF);
    u64 done = 0;
    u8 stack_chunk[IO_CHUNK];
    BounceBuffer bounce(file, count);
    u8* chunk = bounce.data ? bounce.data : stack_chunk;
    usize chunk_size = bounce.data ? bounce.size : IO_CHUNK;
    while (done < count) {
        usize size = min<u64>(chunk_size, count - done);
        auto where = user::UserPtr<u8>(address + done);
        if (direction == Direction::Write) {
            if (auto copied = user::copy_from_user(chunk, where, size); copied.is_error())
                return partial(done, copied.release_error());
            if (offset < 0) {
                auto result = file.write({ chunk, size });
                if (result.is_error() && result.error().code() == EPIPE && done == 0)
                    proc::raise_signal(current_process(), proc::SIGNAL_PIPE);
                if (result.is_error())
                    return partial(done, result.release_error());
                done += result.value();
                if (result.value() < size)
                    break;
            } else {
                auto result = file.pwrite(offset + done, { chunk, size });
                if (result.is_error())
                    return partial(done, result.release_error());
                done += result.value();
                if (result.value() < size)
                    break;
            }
        } else {
            auto result = offset < 0 ? file.read({ chunk, size }) : file.pread(offset + done, { chunk, size });
            if (result.is_error())
                return partial(done, result.release_error());
            usize got = result.value();
            if (auto copied = user::copy_to_user(where, chunk, got); copied.is_error())
                return partial(done, copied.release_error());
            done += got;
            if (got < size)
                break;
        }
    }
    return done;
}

struct IoVector {
    u64 base;
    u64 length;
};

ErrorOr<u64> transfer_vector(const Arguments& arguments, Direction direction)
{
    auto file = TRY(current_process().files().get(static_cast<int>(arguments[0])));
    if (is_socket(*file)) {
        return direction == Direction::Read ? socket_read_vector(*file, arguments[1], arguments[2])
                                            : socket_write_vector(*file, arguments[1], arguments[2]);
    }
    u64 count = arguments[2];
    if (count > IOV_MAX)
        return Error::from_errno(EINVAL);
    u64 total = 0;
    for (u64 i = 0; i < count; ++i) {
        IoVector vector {};
        TRY(user::copy_from_user(vector, user::UserPtr<const IoVector>(arguments[1] + i * sizeof(IoVector))));
        if (vector.length == 0)
            continue;
        auto moved = transfer(*file, direction, vector.base, vector.length, -1);
        if (moved.is_error())
            return partial(total, moved.release_error());
        total += moved.value();
        if (moved.value() < vector.length)
            break;
    }
    return total;
}

ErrorOr<u64> open_at(int dirfd, u64 path_address, u32 flags, u32 mode)
{
    UserPath path_buffer;
    StringView path = TRY(path_buffer.copy(path_address));
    proc::Process& process = current_process();
    fs::Location base = TRY(base_location(process, dirfd, path));
    auto file = TRY(fs::vfs().open(process.context(), base, path, flags, mode & 07777 & ~process.umask()));
    int fd = TRY(process.files().allocate(file, (flags & O_CLOEXEC) ? fs::CloseOnExec::Yes : fs::CloseOnExec::No));
    return static_cast<u64>(fd);
}

ErrorOr<u64> stat_to_user(const fs::Attributes& attributes, u64 address)
{
    struct stat out { };
    fs::fill_stat(attributes, out);
    TRY(user::copy_to_user(user::UserPtr<struct stat>(address), out));
    return 0;
}

} // namespace

SYSCALL_HANDLER(open)
{
    return open_at(AT_FDCWD, arguments[0], static_cast<u32>(arguments[1]), static_cast<u32>(arguments[2]));
}

SYSCALL_HANDLER(openat)
{
    return open_at(
        static_cast<int>(arguments[0]), arguments[1], static_cast<u32>(arguments[2]), static_cast<u32>(arguments[3]));
}

SYSCALL_HANDLER(close)
{
    bool socket = false;
    {
        auto file = current_process().files().get(static_cast<int>(arguments[0]));
        socket = !file.is_error() && is_socket(*file.value());
    }
    TRY(current_process().files().close(static_cast<int>(arguments[0])));
    if (socket)
        socket_fd_closed();
    return 0;
}

SYSCALL_HANDLER(read)
{
    auto file = TRY(current_process().files().get(static_cast<int>(arguments[0])));
    if (is_socket(*file))
        return socket_read(*file, arguments[1], arguments[2]);
    return transfer(*file, Direction::Read, arguments[1], arguments[2], -1);
}

SYSCALL_HANDLER(write)
{
    auto file = TRY(current_process().files().get(static_cast<int>(arguments[0])));
    if (is_socket(*file))
        return socket_write(*file, arguments[1], arguments[2]);
    return transfer(*file, Direction::Write, arguments[1], arguments[2], -1);
}

SYSCALL_HANDLER(pread64)
{
    auto file = TRY(current_process().files().get(static_cast<int>(arguments[0])));
    if (static_cast<i64>(arguments[3]) < 0)
        return Error::from_errno(EINVAL);
    return transfer(*file, Direction::Read, arguments[1], arguments[2], static_cast<i64>(arguments[3]));
}

SYSCALL_HANDLER(pwrite64)
{
    auto file = TRY(current_process().files().get(static_cast<int>(arguments[0])));
    if (static_cast<i64>(arguments[3]) < 0)
        return Error::from_errno(EINVAL);
    return transfer(*file, Direction::Write, arguments[1], arguments[2], static_cast<i64>(arguments[3]));
}

SYSCALL_HANDLER(readv)
{
    return transfer_vector(arguments, Direction::Read);
}

SYSCALL_HANDLER(writev)
{
    return transfer_vector(arguments, Direction::Write);
}

SYSCALL_HANDLER(lseek)
{
    auto file = TRY(current_process().files().get(static_cast<int>(arguments[0])));
    if (arguments[2] > 2)
        return Error::from_errno(EINVAL);
    return TRY(file->seek(static_cast<i64>(arguments[1]), static_cast<fs::SeekFrom>(arguments[2])));
}

SYSCALL_HANDLER(fstat)
{
    auto file = TRY(current_process().files().get(static_cast<int>(arguments[0])));
    return stat_to_user(TRY(file->stat()), arguments[1]);
}

SYSCALL_HANDLER(stat)
{
    UserPath path_buffer;
    StringView path = TRY(path_buffer.copy(arguments[0]));
    proc::Process& process = current_process();
    return stat_to_user(
        TRY(fs::vfs().stat(process.context(), process.cwd(), path, fs::FollowFinal::Yes)), arguments[1]);
}

SYSCALL_HANDLER(lstat)
{
    UserPath path_buffer;
    StringView path = TRY(path_buffer.copy(arguments[0]));
    proc::Process& process = current_process();
    return stat_to_user(TRY(fs::vfs().stat(process.context(), process.cwd(), path, fs::FollowFinal::No)), arguments[1]);
}

// newfstatat(dirfd, path, statbuf, flags): AT_SYMLINK_NOFOLLOW and
// AT_EMPTY_PATH (the dirfd itself); EINVAL for other flags.
SYSCALL_HANDLER(newfstatat)
{
    u64 flags = arguments[3];
    if (flags & ~u64(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return Error::from_errno(EINVAL);
    UserPath path_buffer;
    StringView path = TRY(path_buffer.copy(arguments[1]));
    proc::Process& process = current_process();
    int dirfd = static_cast<int>(arguments[0]);
    if (path.is_empty() && (flags & AT_EMPTY_PATH)) {
        if (dirfd == AT_FDCWD)
            return stat_to_user(process.cwd().vnode->attributes(), arguments[2]);
        auto file = TRY(process.files().get(dirfd));
        return stat_to_user(TRY(file->stat()), arguments[2]);
    }
    fs::Location base = TRY(base_location(process, dirfd, path));
    auto follow = (flags & AT_SYMLINK_NOFOLLOW) ? fs::FollowFinal::No : fs::FollowFinal::Yes;
    return stat_to_user(TRY(fs::vfs().stat(process.context(), base, path, follow)), arguments[2]);
}

SYSCALL_HANDLER(getdents64)
{
    auto file = TRY(current_process().files().get(static_cast<int>(arguments[0])));
    u64 count = min<u64>(arguments[2], 64 * KiB);
    if (!user::is_user_range(arguments[1], count))
        return Error::from_errno(EFAULT);
    KernelBuffer buffer(count);
    if (buffer.is_null())
        return Error::from_errno(ENOMEM);
    usize size = TRY(file->read_directory(buffer.span()));
    TRY(user::copy_to_user(user::UserPtr<void>(arguments[1]), buffer.span().data(), size));
    return size;
}

SYSCALL_HANDLER(dup)
{
    return static_cast<u64>(TRY(current_process().files().dup(static_cast<int>(arguments[0]))));
}

SYSCALL_HANDLER(dup2)
{
    return static_cast<u64>(
        TRY(current_process().files().dup2(static_cast<int>(arguments[0]), static_cast<int>(arguments[1]))));
}

SYSCALL_HANDLER(dup3)
{
    return static_cast<u64>(TRY(current_process().files().dup3(
        static_cast<int>(arguments[0]), static_cast<int>(arguments[1]), static_cast<u32>(arguments[2]))));
}

// fcntl(fd, cmd, arg): F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL,
// F_SETFL; EINVAL for other commands.
SYSCALL_HANDLER(fcntl)
{
    fs::FileTable& files = current_process().files();
    int fd = static_cast<int>(arguments[0]);
    int command = static_cast<int>(arguments[1]);
    u64 argument = arguments[2];
    switch (command) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
        auto close_on_exec = command == F_DUPFD_CLOEXEC ? fs::CloseOnExec::Yes : fs::CloseOnExec::No;
        if (static_cast<i64>(static_cast<int>(argument)) < 0)
            return Error::from_errno(EINVAL);
        return static_cast<u64>(TRY(files.dup_at_least(fd, static_cast<int>(argument), close_on_exec)));
    }
    case F_GETFD:
        return TRY(files.close_on_exec(fd)) ? FD_CLOEXEC_FLAG : 0;
    case F_SETFD_CODE:
        TRY(files.set_close_on_exec(fd, (argument & FD_CLOEXEC_FLAG) ? fs::CloseOnExec::Yes : fs::CloseOnExec::No));
        return 0;
    case F_GETFL_CODE:
        return TRY(files.get(fd))->flags();
    case F_SETFL_CODE:
        TRY(files.get(fd))->set_status_flags(static_cast<u32>(argument));
        return 0;
    default:
        return Error::from_errno(EINVAL);
    }
}

// fchmod(fd, mode): EBADF; EPERM unless owner or root.
SYSCALL_HANDLER(fchmod)
{
    proc::Process& process = current_process();
    auto vnode = TRY(vnode_of_fd(process, static_cast<int>(arguments[0])));
    fs::AttributeChange change;
    change.set_mode = true;
    change.mode = static_cast<u32>(arguments[1]) & 07777;
    TRY(fs::vfs().change_attributes_of(process.context(), *vnode, change));
    return 0;
}

// fchown(fd, uid, gid): -1 leaves an id unchanged; EBADF, EPERM.
SYSCALL_HANDLER(fchown)
{
    constexpr u32 NO_CHANGE_ID = 0xffffffff;
    proc::Process& process = current_process();
    auto vnode = TRY(vnode_of_fd(process, static_cast<int>(arguments[0])));
    fs::AttributeChange change;
    change.set_uid = static_cast<u32>(arguments[1]) != NO_CHANGE_ID;
    change.uid = static_cast<u32>(arguments[1]);
    change.set_gid = static_cast<u32>(arguments[2]) != NO_CHANGE_ID;
    change.gid = static_cast<u32>(arguments[2]);
    TRY(fs::vfs().change_attributes_of(process.context(), *vnode, change));
    return 0;
}

// ftruncate(fd, length): EINVAL for a negative length, a description not
// open for writing or not a regular file; EBADF.
SYSCALL_HANDLER(ftruncate)
{
    if (static_cast<i64>(arguments[1]) < 0)
        return Error::from_errno(EINVAL);
    auto file = TRY(current_process().files().get(static_cast<int>(arguments[0])));
    const fs::Location* location = file->location();
    if (!location || !location->vnode->is_regular())
        return Error::from_errno(EINVAL);
    TRY(file->truncate(arguments[1]));
    current_process().memory().drop_file_pages_past_end(*location->vnode, arguments[1]);
    return 0;
}

} // namespace syscalls
