#pragma once

// The filesystem types mount(2) mounts from a block device: each turns a
// source (a /dev path naming a registered disk or partition) into a
// FileSystem. Adding a type is one line in the table (DiskFileSystems.cpp).
#include <fs/vfs/FileSystem.h>
#include <kernel/lib/Error.h>

namespace syscalls {

struct DiskFileSystemType {
    StringView name;
    ErrorOr<NonnullRefPtr<fs::FileSystem>> (*mount)(StringView source, bool read_only);
};

// The type called `name`, or null.
const DiskFileSystemType* find_disk_file_system_type(StringView name);

} // namespace syscalls
