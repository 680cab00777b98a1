// The table of block-device filesystem types (see DiskFileSystems.h).
#include <fs/ext4/MountSource.h>
#include <kernel/syscalls/DiskFileSystems.h>

namespace syscalls {

namespace {

constexpr DiskFileSystemType TYPES[] = {
    { "ext4", ext4::mount_source },
    { "ext3", ext4::mount_source },
    { "ext2", ext4::mount_source },
};

} // namespace

const DiskFileSystemType* find_disk_file_system_type(StringView name)
{
    for (const DiskFileSystemType& type : TYPES) {
        if (type.name == name)
            return &type;
    }
    return nullptr;
}

} // namespace syscalls
