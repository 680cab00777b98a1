#pragma once

// struct statfs as Linux's x86_64 statfs(2) fills it (asm-generic/statfs.h:
// every field a 64-bit word but f_fsid, two ints; 120 bytes), and filling it
// from a FileSystem's statistics. tests/unit/fs/api_layout_test.cpp checks
// the layout against the host's <sys/vfs.h>.
#include <fs/vfs/FileSystem.h>

namespace fs {

struct LinuxStatfs {
    i64 f_type;
    i64 f_bsize;
    u64 f_blocks;
    u64 f_bfree;
    u64 f_bavail;
    u64 f_files;
    u64 f_ffree;
    i32 f_fsid[2];
    i64 f_namelen;
    i64 f_frsize;
    i64 f_flags;
    i64 f_spare[4];
};
static_assert(sizeof(LinuxStatfs) == 120);

// ST_VALID: f_flags is meaningful (Linux sets it for every statfs).
inline constexpr i64 STATFS_FLAG_VALID = 0x0020;

LinuxStatfs statfs_of(const FileSystem& file_system);

} // namespace fs
