// statfs(2) output; see Statfs.h.
#include <fs/vfs/Statfs.h>

namespace fs {

LinuxStatfs statfs_of(const FileSystem& file_system)
{
    FileSystemStatistics statistics = file_system.statistics();
    LinuxStatfs out {};
    out.f_type = static_cast<i64>(statistics.magic);
    out.f_bsize = static_cast<i64>(statistics.block_size);
    out.f_frsize = static_cast<i64>(statistics.block_size);
    out.f_blocks = statistics.blocks;
    out.f_bfree = statistics.free_blocks;
    out.f_bavail = statistics.available_blocks;
    out.f_files = statistics.files;
    out.f_ffree = statistics.free_files;
    out.f_namelen = static_cast<i64>(statistics.name_max);
    out.f_flags = static_cast<i64>(statistics.mount_flags) | STATFS_FLAG_VALID;
    u64 id = file_system.device_id();
    out.f_fsid[0] = static_cast<i32>(id & 0xffffffff);
    out.f_fsid[1] = static_cast<i32>(id >> 32);
    return out;
}

} // namespace fs
