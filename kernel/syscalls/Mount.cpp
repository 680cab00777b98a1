// mount(2) and umount2(2).
//
// mount(source, target, fstype, flags, data): the filesystem comes from
// fstype alone (the source is only a label, as for Linux's virtual
// filesystems): "proc" a new procfs, "tmpfs" a new tmpfs (fs/tmpfs: mode
// 01777, the size= and mode= options from data, EINVAL for others), "ramfs"
// a new empty ramfs (0755), "devtmpfs" the one
// devfs instance the kernel made at boot. Linux's devtmpfs is one superblock
// that may be mounted several times; Osprey's VFS mounts a filesystem
// instance once, so mounting devtmpfs where the devfs already is the top
// mount (init's mount over the /dev mounted at boot) succeeds without a new
// mount, and anywhere else is EBUSY. "ext4", "ext3" and "ext2" mount the
// block device the source names (DiskFileSystems.h); MS_RDONLY mounts it
// read-only. MS_NOATIME, MS_NODIRATIME and MS_STRICTATIME choose the atime
// rules (relatime by default; fs/vfs/AccessTime.h). Other flags are ignored,
// except MS_REMOUNT and MS_BIND, which are EINVAL (not supported); data
// matters to tmpfs only.
// Errors as Linux: EPERM for non-root, ENODEV for an unknown fstype,
// ENOENT/ENOTDIR from the target's walk, EBUSY, EFAULT.
//
// umount2(target, flags): EBUSY while the mount is in use (cwds, open files,
// mounts below), EINVAL if target is not a mount root or for unknown flags.
#include <fs/devfs/DevFileSystem.h>
#include <fs/procfs/ProcFileSystem.h>
#include <fs/ramfs/RamFileSystem.h>
#include <fs/tmpfs/Tmpfs.h>
#include <kernel/mm/PhysicalMemory.h>
#include <kernel/proc/CwdPath.h>
#include <kernel/proc/ProcfsSource.h>
#include <kernel/syscalls/DiskFileSystems.h>
#include <kernel/syscalls/Handlers.h>
#include <kernel/syscalls/UserPath.h>

namespace syscalls {

namespace {

constexpr u64 MS_RDONLY = 1;
constexpr u64 MS_REMOUNT = 32;
constexpr u64 MS_BIND = 4096;
constexpr u64 MS_NOATIME = 1024;
constexpr u64 MS_NODIRATIME = 2048;
constexpr u64 MS_STRICTATIME = 1 << 24;

// The mount_flag bits for mount(2)'s flags: relatime unless MS_STRICTATIME
// (MS_RELATIME is the default anyway); MS_NOATIME wins over both.
u32 mount_flags_of(u64 flags)
{
    u32 result = 0;
    if (flags & MS_NOATIME)
        result |= fs::mount_flag::NoAtime;
    if (flags & MS_NODIRATIME)
        result |= fs::mount_flag::NoDirAtime;
    if (flags & MS_STRICTATIME)
        result |= fs::mount_flag::StrictAtime;
    return result;
}
constexpr u64 MNT_FORCE = 1;
constexpr u64 MNT_DETACH = 2;
constexpr u64 MNT_EXPIRE = 4;
constexpr u64 UMOUNT_NOFOLLOW = 8;
constexpr usize FSTYPE_MAX = 64;
constexpr usize MOUNT_DATA_MAX = 256;
constexpr usize SOURCE_MAX = 256;

// The devfs mounted at boot (kernel/tty/Devices.cpp), found in the mount table.
RefPtr<fs::FileSystem> find_devfs()
{
    RefPtr<fs::Mount> mounts[fs::MountTable::MAX_MOUNTS];
    usize count = fs::vfs().mounts().snapshot({ mounts, fs::MountTable::MAX_MOUNTS });
    for (usize i = 0; i < count; ++i) {
        if (mounts[i]->file_system().name() == "devfs")
            return &mounts[i]->file_system();
    }
    return nullptr;
}

} // namespace

SYSCALL_HANDLER(mount)
{
    proc::Process& process = current_process();
    fs::Context context = process.context();
    if (!context.credentials.is_root())
        return Error::from_errno(EPERM);
    UserPath target_buffer;
    StringView target = TRY(target_buffer.copy(arguments[1]));
    char type_buffer[FSTYPE_MAX];
    if (!arguments[2])
        return Error::from_errno(EFAULT);
    usize type_length
        = TRY(user::strncpy_from_user(type_buffer, user::UserPtr<const char>(arguments[2]), sizeof(type_buffer)));
    StringView type { type_buffer, type_length };
    if (arguments[3] & (MS_REMOUNT | MS_BIND))
        return Error::from_errno(EINVAL);
    // The source, shown by /proc/mounts (a null source shows as "none").
    char source_buffer[SOURCE_MAX];
    StringView source = "none";
    if (arguments[0]) {
        usize length = TRY(
            user::strncpy_from_user(source_buffer, user::UserPtr<const char>(arguments[0]), sizeof(source_buffer)));
        source = { source_buffer, length };
    }

    RefPtr<fs::FileSystem> file_system;
    if (type == "proc") {
        file_system = TRY(fs::procfs::ProcFileSystem::try_create(proc::procfs_provider()));
    } else if (type == "tmpfs") {
        char data_buffer[MOUNT_DATA_MAX];
        StringView data;
        if (arguments[4]) {
            usize length = TRY(
                user::strncpy_from_user(data_buffer, user::UserPtr<const char>(arguments[4]), sizeof(data_buffer)));
            data = { data_buffer, length };
        }
        auto options = TRY(fs::tmpfs::parse_options(data, mm::frame_stats().total / 2));
        file_system = TRY(fs::tmpfs::try_create(options));
    } else if (type == "ramfs") {
        file_system = TRY(fs::ramfs::RamFileSystem::try_create(0755));
    } else if (type == "devtmpfs") {
        file_system = find_devfs();
        if (!file_system)
            return Error::from_errno(ENODEV);
        fs::Location point = TRY(fs::vfs().resolve(context, process.cwd(), target, fs::FollowFinal::Yes));
        if (!point.vnode->is_directory())
            return Error::from_errno(ENOTDIR);
        if (&point.mount->file_system() == file_system.ptr() && point.vnode == point.mount->root())
            return 0;
    } else if (const DiskFileSystemType* disk_type = find_disk_file_system_type(type)) {
        if (!arguments[0])
            return Error::from_errno(EFAULT);
        file_system = TRY(disk_type->mount(source, arguments[3] & MS_RDONLY));
    } else {
        return Error::from_errno(ENODEV);
    }
    // /proc/mounts shows the target as an absolute path.
    UserPath absolute_buffer;
    char* absolute = TRY(absolute_buffer.buffer());
    usize absolute_length = TRY(process.join_cwd_path(target, absolute, fs::MAX_PATH_LENGTH));
    TRY(fs::vfs().mount(context, process.cwd(), target, *file_system, StringView(absolute, absolute_length), source,
        mount_flags_of(arguments[3])));
    return 0;
}

SYSCALL_HANDLER(umount2)
{
    proc::Process& process = current_process();
    fs::Context context = process.context();
    if (!context.credentials.is_root())
        return Error::from_errno(EPERM);
    if (arguments[1] & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
        return Error::from_errno(EINVAL);
    UserPath target_buffer;
    StringView target = TRY(target_buffer.copy(arguments[0]));
    TRY(fs::vfs().unmount(context, process.cwd(), target));
    return 0;
}

} // namespace syscalls
