#pragma once

// mmap of a file descriptor (FileMap.cpp), called by the mmap handler in
// Memory.cpp once the arguments common to every mapping are checked.
#include <kernel/user/Protection.h>
#include <kernel/user/UserMemory.h>

namespace syscalls {

// `type` is MAP_SHARED or MAP_PRIVATE (MAP_SHARED_VALIDATE counts as shared).
ErrorOr<u64> map_file_descriptor(
    VirtAddr address, u64 length, user::Protection protection, u64 type, user::Placement placement, int fd, u64 offset);

// mmap(MAP_SHARED | MAP_ANONYMOUS): zero-filled memory shared with fork
// children, backed by an unnamed file of an internal ramfs.
ErrorOr<u64> map_shared_anonymous(VirtAddr address, u64 length, user::Protection protection, user::Placement placement);

} // namespace syscalls
