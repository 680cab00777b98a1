// stat(2) output; see Stat.h.
#include <fs/vfs/Stat.h>
#include <kernel/api/stat.h>

namespace fs {

void fill_stat(const Attributes& attributes, struct stat& out)
{
    out = {};
    out.st_dev = attributes.device;
    out.st_ino = attributes.inode;
    out.st_nlink = attributes.link_count;
    out.st_mode = attributes.mode;
    out.st_uid = attributes.uid;
    out.st_gid = attributes.gid;
    out.st_rdev = attributes.rdev;
    out.st_size = static_cast<int64_t>(attributes.size);
    out.st_blksize = attributes.block_size;
    out.st_blocks = static_cast<int64_t>(attributes.blocks);
    out.st_atime = static_cast<uint64_t>(attributes.access_time.seconds);
    out.st_atime_nsec = static_cast<uint64_t>(attributes.access_time.nanoseconds);
    out.st_mtime = static_cast<uint64_t>(attributes.modify_time.seconds);
    out.st_mtime_nsec = static_cast<uint64_t>(attributes.modify_time.nanoseconds);
    out.st_ctime = static_cast<uint64_t>(attributes.change_time.seconds);
    out.st_ctime_nsec = static_cast<uint64_t>(attributes.change_time.nanoseconds);
}

} // namespace fs
