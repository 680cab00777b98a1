// Memory system calls: mmap, munmap, mprotect, brk, over the program's
// UserMemory (kernel/user/UserMemory.h: pages are allocated when mapped).
//
// mmap maps private anonymous memory here and files through FileMap.cpp
// (MAP_SHARED or MAP_PRIVATE). Flag values are Linux's
// (include/uapi/asm-generic/mman-common.h, mman.h; linux/mman.h).
#include <kernel/syscalls/FileMap.h>
#include <kernel/syscalls/Handlers.h>

namespace syscalls {

namespace {

constexpr u64 MAP_SHARED = 0x01;
constexpr u64 MAP_PRIVATE = 0x02;
constexpr u64 MAP_SHARED_VALIDATE = 0x03;
constexpr u64 MAP_TYPE = 0x0f;
constexpr u64 MAP_FIXED = 0x10;
constexpr u64 MAP_ANONYMOUS = 0x20;
constexpr u64 MAP_DENYWRITE = 0x800;
constexpr u64 MAP_EXECUTABLE = 0x1000;
constexpr u64 MAP_NORESERVE = 0x4000;
constexpr u64 MAP_POPULATE = 0x8000;
constexpr u64 MAP_NONBLOCK = 0x10000;
constexpr u64 MAP_STACK = 0x20000;
constexpr u64 MAP_FIXED_NOREPLACE = 0x100000;

// Flags accepted besides the type: placement, and hints that change nothing
// while every page is allocated at map time (NORESERVE, POPULATE, NONBLOCK,
// STACK) or that Linux itself ignores (DENYWRITE, EXECUTABLE).
constexpr u64 MAP_KNOWN_FLAGS = MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE | MAP_EXECUTABLE | MAP_NORESERVE
    | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_FIXED_NOREPLACE;

ErrorOr<user::Protection> protection_from(u64 prot)
{
    if (prot & ~u64(user::PROTECTION_MASK))
        return Error::from_errno(EINVAL);
    return static_cast<user::Protection>(prot);
}

} // namespace

// mmap(address, length, prot, flags, fd, offset): MAP_PRIVATE |
// MAP_ANONYMOUS, or a file (FileMap.cpp) with MAP_SHARED, MAP_SHARED_VALIDATE
// or MAP_PRIVATE. Errors: EINVAL for a misaligned offset, unknown flags or
// prot bits, another type, MAP_SHARED | MAP_ANONYMOUS (shared anonymous
// memory is not supported), length 0 or a misaligned fixed address; EPERM
// for a fixed address below USER_MIN_ADDRESS; EEXIST for MAP_FIXED_NOREPLACE
// over a mapping; ENOMEM when there is no room or memory; the file errors
// listed in FileMap.cpp.
SYSCALL_HANDLER(mmap)
{
    VirtAddr address = arguments[0];
    u64 length = arguments[1];
    u64 flags = arguments[3];
    u64 offset = arguments[5];
    if (offset % PAGE_SIZE != 0)
        return Error::from_errno(EINVAL);
    if (flags & ~MAP_KNOWN_FLAGS)
        return Error::from_errno(EINVAL);
    auto protection = TRY(protection_from(arguments[2]));
    u64 type = flags & MAP_TYPE;
    if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
        return Error::from_errno(EINVAL);
    user::Placement placement = user::Placement::Hint;
    if (flags & MAP_FIXED_NOREPLACE)
        placement = user::Placement::FixedNoReplace;
    else if (flags & MAP_FIXED)
        placement = user::Placement::Fixed;
    if (!(flags & MAP_ANONYMOUS))
        return map_file_descriptor(
            address, length, protection, type, placement, static_cast<int>(arguments[4]), offset);
    if (type != MAP_PRIVATE)
        return map_shared_anonymous(address, length, protection, placement);
    return TRY(current_process().memory().map_anonymous(address, length, protection, placement));
}

// munmap(address, length). Errors: EINVAL for a misaligned address, length
// 0 or a range leaving user space. Unmapped parts of the range are fine.
SYSCALL_HANDLER(munmap)
{
    TRY(current_process().memory().unmap(arguments[0], arguments[1]));
    return 0;
}

// mprotect(address, length, prot). Errors: EINVAL for a misaligned address
// or unknown prot bits; ENOMEM when part of the range is not mapped.
SYSCALL_HANDLER(mprotect)
{
    auto protection = TRY(protection_from(arguments[2]));
    TRY(current_process().memory().protect(arguments[0], arguments[1], protection));
    return 0;
}

// brk(address): moves the end of the heap; returns the new end, or the
// unchanged one when the move is not possible (Linux's convention: brk(0)
// asks for the current end).
SYSCALL_HANDLER(brk)
{
    return current_process().memory().set_break(arguments[0]);
}

} // namespace syscalls
