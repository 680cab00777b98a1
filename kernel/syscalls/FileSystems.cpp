// Whole-filesystem calls: statfs, fstatfs, sync, syncfs, fsync, fdatasync.
//
// fsync and fdatasync first write a mapped file's shared pages back to it
// (kernel/user/FilePages.h), then ask the filesystem to make the file
// durable (Vnode::sync); memory-only filesystems have nothing more to do.
// They are EINVAL for descriptions without a file (pipes), as on Linux.
// sync walks the mount table; syncfs syncs the filesystem of one fd. Both
// first write back the pages of mapped files (every file for sync, those of
// the one filesystem for syncfs), as Linux writes the pages stores through
// MAP_SHARED mappings dirtied; msync, munmap, exit and fsync do it too.
#include <fs/devfs/BlockDeviceFile.h>
#include <fs/vfs/Statfs.h>
#include <kernel/syscalls/FileSupport.h>
#include <kernel/syscalls/Handlers.h>
#include <kernel/syscalls/UserPath.h>
#include <kernel/user/FilePages.h>

namespace syscalls {

namespace {

ErrorOr<u64> statfs_to_user(const fs::FileSystem& file_system, u64 address)
{
    fs::LinuxStatfs out = fs::statfs_of(file_system);
    TRY(user::copy_to_user(user::UserPtr<fs::LinuxStatfs>(address), out));
    return 0;
}

ErrorOr<u64> sync_file(int fd, bool data_only)
{
    auto vnode = TRY(vnode_of_fd(current_process(), fd));
    TRY(user::write_back_file_pages(*vnode));
    TRY(vnode->sync(data_only));
    // A disk's /dev node: what was written through it is in the device's
    // write cache, which is flushed too.
    auto file = TRY(current_process().files().get(fd));
    if (file->kind_name() == "block")
        TRY(static_cast<fs::devfs::BlockDeviceFile&>(*file).sync());
    return 0;
}

// Every mounted filesystem, each once (a filesystem mounted twice is synced twice: harmless).
ErrorOr<void> sync_all()
{
    RefPtr<fs::Mount> mounts[fs::MountTable::MAX_MOUNTS];
    usize count = fs::vfs().mounts().snapshot({ mounts, fs::MountTable::MAX_MOUNTS });
    ErrorOr<void> result;
    for (usize i = 0; i < count; ++i) {
        auto synced = mounts[i]->file_system().sync();
        if (synced.is_error() && !result.is_error())
            result = synced.release_error();
    }
    return result;
}

} // namespace

// statfs(path, buf): the filesystem holding path (followed); EFAULT, ENOENT...
SYSCALL_HANDLER(statfs)
{
    UserPath path_buffer;
    StringView path = TRY(path_buffer.copy(arguments[0]));
    proc::Process& process = current_process();
    auto location = TRY(fs::vfs().resolve(process.context(), process.cwd(), path, fs::FollowFinal::Yes));
    return statfs_to_user(location.vnode->file_system(), arguments[1]);
}

// fstatfs(fd, buf): EBADF; EINVAL for descriptions without a file.
SYSCALL_HANDLER(fstatfs)
{
    auto vnode = TRY(vnode_of_fd(current_process(), static_cast<int>(arguments[0])));
    return statfs_to_user(vnode->file_system(), arguments[1]);
}

// sync(): never fails (Linux ignores the filesystems' errors here).
SYSCALL_HANDLER(sync)
{
    (void)user::write_back_mapped_pages(nullptr);
    (void)sync_all();
    return 0;
}

// syncfs(fd): EBADF, EIO from the filesystem.
SYSCALL_HANDLER(syncfs)
{
    auto vnode = TRY(vnode_of_fd(current_process(), static_cast<int>(arguments[0])));
    auto written = user::write_back_mapped_pages(&vnode->file_system());
    TRY(vnode->file_system().sync());
    TRY(written);
    return 0;
}

SYSCALL_HANDLER(fsync)
{
    return sync_file(static_cast<int>(arguments[0]), false);
}

SYSCALL_HANDLER(fdatasync)
{
    return sync_file(static_cast<int>(arguments[0]), true);
}

} // namespace syscalls
