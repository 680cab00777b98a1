// File-backed mmap and msync.
//
// mmap(fd) rules, as Linux's do_mmap: EBADF for a closed fd; ENODEV for a
// description that is not a regular file (pipes, directories, devices:
// Osprey's device nodes have no mappable memory yet); EACCES when the file
// is not open for reading, or for MAP_SHARED with PROT_WRITE when it is not
// open for writing (O_APPEND does not matter, as on Linux); EOVERFLOW when offset + length
// overflows. The pages themselves come from the file's page cache
// (kernel/user/FilePages.h); see UserMemory.h for MAP_SHARED and
// MAP_PRIVATE.
//
// MAP_SHARED | MAP_ANONYMOUS is a shared mapping of an unnamed ramfs file as
// long as the mapping (Linux uses an unnamed shmem file the same way); its
// pages live in the file's page cache only (write-back skips files without
// names).
//
// msync(address, length, flags): MS_ASYNC, MS_SYNC (not both), MS_INVALIDATE;
// EINVAL for other flags or a misaligned address, ENOMEM for a range not
// wholly mapped. Both MS_ASYNC and MS_SYNC write back at once (nothing is
// queued in Osprey); MS_INVALIDATE has nothing to drop, since mappings share
// the cache's frames.
#include <fs/ramfs/RamFile.h>
#include <fs/ramfs/RamFileSystem.h>
#include <fs/vfs/AccessTime.h>
#include <fs/vfs/OpenFile.h>
#include <kernel/mm/Layout.h>
#include <kernel/syscalls/FileMap.h>
#include <kernel/syscalls/Handlers.h>

namespace syscalls {

namespace {

constexpr u64 MAP_PRIVATE_TYPE = 0x02;
constexpr u64 MS_ASYNC = 1;
constexpr u64 MS_INVALIDATE = 2;
constexpr u64 MS_SYNC = 4;

// The ramfs that holds the unnamed files of shared anonymous mappings: made
// at the first such mapping and kept for the kernel's lifetime.
constinit Spinlock s_anonymous_lock;
fs::ramfs::RamFileSystem* s_anonymous_files;

ErrorOr<fs::ramfs::RamFileSystem*> anonymous_files()
{
    {
        SpinlockGuard guard(s_anonymous_lock);
        if (s_anonymous_files)
            return s_anonymous_files;
    }
    auto made = TRY(fs::ramfs::RamFileSystem::try_create(0700));
    SpinlockGuard guard(s_anonymous_lock);
    if (!s_anonymous_files)
        s_anonymous_files = made.leak_ref(); // lives as long as the kernel
    return s_anonymous_files;
}

} // namespace

ErrorOr<u64> map_file_descriptor(
    VirtAddr address, u64 length, user::Protection protection, u64 type, user::Placement placement, int fd, u64 offset)
{
    proc::Process& process = current_process();
    auto file = TRY(process.files().get(fd));
    const fs::Location* location = file->location();
    if (!location || !location->vnode->is_regular())
        return Error::from_errno(ENODEV);
    if (!file->is_readable())
        return Error::from_errno(EACCES);
    bool shared = type != MAP_PRIVATE_TYPE;
    if (shared && user::has_protection(protection, user::Protection::Write) && !file->is_writable())
        return Error::from_errno(EACCES);
    if (!(file->flags() & fs::open_flag::NoAtime))
        fs::note_access(*location); // mmap counts as an access, as on Linux
    user::UserMemory::FileMapping mapping {
        .file = *location->vnode,
        .offset = offset,
        .shared = shared,
        .file_writable = file->is_writable(),
    };
    return TRY(process.memory().map_file(address, length, protection, placement, mapping));
}

ErrorOr<u64> map_shared_anonymous(VirtAddr address, u64 length, user::Protection protection, user::Placement placement)
{
    if (length == 0)
        return Error::from_errno(EINVAL);
    if (length > mm::USER_END)
        return Error::from_errno(ENOMEM);
    fs::ramfs::RamFileSystem* file_system = TRY(anonymous_files());
    auto file = TRY(fs::ramfs::RamFile::try_create(*file_system, 0600, { 0, 0 }));
    TRY(file->truncate(align_up<u64>(length, PAGE_SIZE)));
    user::UserMemory::FileMapping mapping {
        .file = *file,
        .offset = 0,
        .shared = true,
        .file_writable = true,
    };
    return TRY(current_process().memory().map_file(address, length, protection, placement, mapping));
}

SYSCALL_HANDLER(msync)
{
    u64 flags = arguments[2];
    if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
        return Error::from_errno(EINVAL);
    if ((flags & MS_ASYNC) && (flags & MS_SYNC))
        return Error::from_errno(EINVAL);
    TRY(current_process().memory().sync_range(arguments[0], arguments[1]));
    return 0;
}

} // namespace syscalls
