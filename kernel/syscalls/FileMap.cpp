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
// msync(address, length, flags): MS_ASYNC, MS_SYNC (not both), MS_INVALIDATE;
// EINVAL for other flags or a misaligned address, ENOMEM for a range not
// wholly mapped. Both MS_ASYNC and MS_SYNC write back at once (nothing is
// queued in Osprey); MS_INVALIDATE has nothing to drop, since mappings share
// the cache's frames.
#include <fs/vfs/OpenFile.h>
#include <kernel/syscalls/FileMap.h>
#include <kernel/syscalls/Handlers.h>

namespace syscalls {

namespace {

constexpr u64 MAP_PRIVATE_TYPE = 0x02;
constexpr u64 MS_ASYNC = 1;
constexpr u64 MS_INVALIDATE = 2;
constexpr u64 MS_SYNC = 4;

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
    user::UserMemory::FileMapping mapping {
        .file = *location->vnode,
        .offset = offset,
        .shared = shared,
        .file_writable = file->is_writable(),
    };
    return TRY(process.memory().map_file(address, length, protection, placement, mapping));
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
