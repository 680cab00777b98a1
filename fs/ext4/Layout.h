#pragma once

// ext4's on-disk layout as Linux defines it (Documentation/filesystems/ext4/):
// byte offsets of the fields Osprey uses, feature bits and flag values. All
// multi-byte fields are little-endian (read them with Disk.h).
#include <kernel/lib/Types.h>

namespace ext4 {

inline constexpr u64 SUPERBLOCK_OFFSET = 1024;
inline constexpr usize SUPERBLOCK_SIZE = 1024;
inline constexpr u16 MAGIC = 0xEF53;
inline constexpr u32 ROOT_INODE = 2;
inline constexpr u32 JOURNAL_INODE = 8;
inline constexpr u32 GOOD_OLD_INODE_SIZE = 128;
inline constexpr u32 GOOD_OLD_FIRST_INODE = 11;

namespace sb {
inline constexpr usize INODES_COUNT = 0x00;
inline constexpr usize BLOCKS_COUNT_LO = 0x04;
inline constexpr usize R_BLOCKS_COUNT_LO = 0x08;
inline constexpr usize FREE_BLOCKS_COUNT_LO = 0x0C;
inline constexpr usize FREE_INODES_COUNT = 0x10;
inline constexpr usize FIRST_DATA_BLOCK = 0x14;
inline constexpr usize LOG_BLOCK_SIZE = 0x18;
inline constexpr usize LOG_CLUSTER_SIZE = 0x1C;
inline constexpr usize BLOCKS_PER_GROUP = 0x20;
inline constexpr usize CLUSTERS_PER_GROUP = 0x24;
inline constexpr usize INODES_PER_GROUP = 0x28;
inline constexpr usize MTIME = 0x2C;
inline constexpr usize WTIME = 0x30;
inline constexpr usize MNT_COUNT = 0x34;
inline constexpr usize MAGIC = 0x38;
inline constexpr usize STATE = 0x3A;
inline constexpr usize REV_LEVEL = 0x4C;
inline constexpr usize FIRST_INO = 0x54;
inline constexpr usize INODE_SIZE = 0x58;
inline constexpr usize FEATURE_COMPAT = 0x5C;
inline constexpr usize FEATURE_INCOMPAT = 0x60;
inline constexpr usize FEATURE_RO_COMPAT = 0x64;
inline constexpr usize UUID = 0x68;
inline constexpr usize RESERVED_GDT_BLOCKS = 0xCE;
inline constexpr usize JOURNAL_INUM = 0xE0;
inline constexpr usize JOURNAL_DEV = 0xE4;
inline constexpr usize LAST_ORPHAN = 0xE8;
inline constexpr usize HASH_SEED = 0xEC;
inline constexpr usize DEF_HASH_VERSION = 0xFC;
inline constexpr usize DESC_SIZE = 0xFE;
inline constexpr usize FIRST_META_BG = 0x104;
inline constexpr usize BLOCKS_COUNT_HI = 0x150;
inline constexpr usize R_BLOCKS_COUNT_HI = 0x154;
inline constexpr usize FREE_BLOCKS_COUNT_HI = 0x158;
inline constexpr usize MIN_EXTRA_ISIZE = 0x15C;
inline constexpr usize WANT_EXTRA_ISIZE = 0x15E;
inline constexpr usize FLAGS = 0x160;
inline constexpr usize LOG_GROUPS_PER_FLEX = 0x174;
inline constexpr usize CHECKSUM_TYPE = 0x175;
inline constexpr usize KBYTES_WRITTEN = 0x178;
inline constexpr usize BACKUP_BGS = 0x24C;
inline constexpr usize CHECKSUM_SEED = 0x270;
inline constexpr usize CHECKSUM = 0x3FC;
} // namespace sb

inline constexpr u16 STATE_VALID = 0x0001; // cleanly unmounted
inline constexpr u16 STATE_ERROR = 0x0002;

inline constexpr u32 FLAG_SIGNED_HASH = 0x1;
inline constexpr u32 FLAG_UNSIGNED_HASH = 0x2;

namespace compat {
inline constexpr u32 HAS_JOURNAL = 0x4;
inline constexpr u32 EXT_ATTR = 0x8;
inline constexpr u32 RESIZE_INODE = 0x10;
inline constexpr u32 DIR_INDEX = 0x20;
inline constexpr u32 SPARSE_SUPER2 = 0x200;
inline constexpr u32 FAST_COMMIT = 0x400;
inline constexpr u32 STABLE_INODES = 0x800;
inline constexpr u32 ORPHAN_FILE = 0x1000;
} // namespace compat

namespace incompat {
inline constexpr u32 COMPRESSION = 0x1;
inline constexpr u32 FILETYPE = 0x2;
inline constexpr u32 RECOVER = 0x4;
inline constexpr u32 JOURNAL_DEV = 0x8;
inline constexpr u32 META_BG = 0x10;
inline constexpr u32 EXTENTS = 0x40;
inline constexpr u32 BIT64 = 0x80;
inline constexpr u32 MMP = 0x100;
inline constexpr u32 FLEX_BG = 0x200;
inline constexpr u32 EA_INODE = 0x400;
inline constexpr u32 DIRDATA = 0x1000;
inline constexpr u32 CSUM_SEED = 0x2000;
inline constexpr u32 LARGEDIR = 0x4000;
inline constexpr u32 INLINE_DATA = 0x8000;
inline constexpr u32 ENCRYPT = 0x10000;
inline constexpr u32 CASEFOLD = 0x20000;
// What Osprey can mount at all (reading); the rest refuse with EINVAL.
inline constexpr u32 SUPPORTED
    = FILETYPE | RECOVER | META_BG | EXTENTS | BIT64 | FLEX_BG | EA_INODE | CSUM_SEED | LARGEDIR;
} // namespace incompat

namespace ro_compat {
inline constexpr u32 SPARSE_SUPER = 0x1;
inline constexpr u32 LARGE_FILE = 0x2;
inline constexpr u32 BTREE_DIR = 0x4;
inline constexpr u32 HUGE_FILE = 0x8;
inline constexpr u32 GDT_CSUM = 0x10;
inline constexpr u32 DIR_NLINK = 0x20;
inline constexpr u32 EXTRA_ISIZE = 0x40;
inline constexpr u32 QUOTA = 0x100;
inline constexpr u32 BIGALLOC = 0x200;
inline constexpr u32 METADATA_CSUM = 0x400;
inline constexpr u32 READONLY = 0x1000;
inline constexpr u32 PROJECT = 0x2000;
inline constexpr u32 VERITY = 0x8000;
inline constexpr u32 ORPHAN_PRESENT = 0x10000;
// What Osprey can keep consistent when writing; others mount read-only.
inline constexpr u32 WRITABLE
    = SPARSE_SUPER | LARGE_FILE | HUGE_FILE | GDT_CSUM | DIR_NLINK | EXTRA_ISIZE | METADATA_CSUM;
} // namespace ro_compat

// Group descriptor fields (32 bytes, or desc_size bytes with 64bit).
namespace gd {
inline constexpr usize BLOCK_BITMAP_LO = 0x00;
inline constexpr usize INODE_BITMAP_LO = 0x04;
inline constexpr usize INODE_TABLE_LO = 0x08;
inline constexpr usize FREE_BLOCKS_LO = 0x0C;
inline constexpr usize FREE_INODES_LO = 0x0E;
inline constexpr usize USED_DIRS_LO = 0x10;
inline constexpr usize FLAGS = 0x12;
inline constexpr usize BLOCK_BITMAP_CSUM_LO = 0x18;
inline constexpr usize INODE_BITMAP_CSUM_LO = 0x1A;
inline constexpr usize ITABLE_UNUSED_LO = 0x1C;
inline constexpr usize CHECKSUM = 0x1E;
inline constexpr usize BLOCK_BITMAP_HI = 0x20;
inline constexpr usize INODE_BITMAP_HI = 0x24;
inline constexpr usize INODE_TABLE_HI = 0x28;
inline constexpr usize FREE_BLOCKS_HI = 0x2C;
inline constexpr usize FREE_INODES_HI = 0x2E;
inline constexpr usize USED_DIRS_HI = 0x30;
inline constexpr usize ITABLE_UNUSED_HI = 0x32;
inline constexpr usize BLOCK_BITMAP_CSUM_HI = 0x38;
inline constexpr usize INODE_BITMAP_CSUM_HI = 0x3A;
inline constexpr usize SIZE_32 = 32;
inline constexpr usize SIZE_64 = 64;
inline constexpr u16 INODE_UNINIT = 0x1;
inline constexpr u16 BLOCK_UNINIT = 0x2;
inline constexpr u16 INODE_ZEROED = 0x4;
} // namespace gd

// Inode fields.
namespace in {
inline constexpr usize MODE = 0x00;
inline constexpr usize UID = 0x02;
inline constexpr usize SIZE_LO = 0x04;
inline constexpr usize ATIME = 0x08;
inline constexpr usize CTIME = 0x0C;
inline constexpr usize MTIME = 0x10;
inline constexpr usize DTIME = 0x14;
inline constexpr usize GID = 0x18;
inline constexpr usize LINKS_COUNT = 0x1A;
inline constexpr usize BLOCKS_LO = 0x1C;
inline constexpr usize FLAGS = 0x20;
inline constexpr usize BLOCK = 0x28; // i_block[15]
inline constexpr usize BLOCK_SIZE = 60;
inline constexpr usize GENERATION = 0x64;
inline constexpr usize FILE_ACL_LO = 0x68;
inline constexpr usize SIZE_HIGH = 0x6C;
inline constexpr usize BLOCKS_HIGH = 0x74;
inline constexpr usize FILE_ACL_HIGH = 0x76;
inline constexpr usize UID_HIGH = 0x78;
inline constexpr usize GID_HIGH = 0x7A;
inline constexpr usize CHECKSUM_LO = 0x7C;
inline constexpr usize EXTRA_ISIZE = 0x80;
inline constexpr usize CHECKSUM_HI = 0x82;
inline constexpr usize CTIME_EXTRA = 0x84;
inline constexpr usize MTIME_EXTRA = 0x88;
inline constexpr usize ATIME_EXTRA = 0x8C;
inline constexpr usize CRTIME = 0x90;
inline constexpr usize CRTIME_EXTRA = 0x94;
} // namespace in

namespace inode_flag {
inline constexpr u32 INDEX = 0x1000;      // hashed directory
inline constexpr u32 HUGE_FILE = 0x40000; // i_blocks in filesystem blocks
inline constexpr u32 EXTENTS = 0x80000;
inline constexpr u32 EA_INODE = 0x200000;
inline constexpr u32 INLINE_DATA = 0x10000000;
} // namespace inode_flag

// Extent tree nodes: a 12-byte header then 12-byte entries.
namespace extent {
inline constexpr u16 MAGIC = 0xF30A;
inline constexpr usize HEADER_SIZE = 12;
inline constexpr usize ENTRY_SIZE = 12;
inline constexpr usize H_MAGIC = 0;
inline constexpr usize H_ENTRIES = 2;
inline constexpr usize H_MAX = 4;
inline constexpr usize H_DEPTH = 6;
inline constexpr usize H_GENERATION = 8;
inline constexpr usize E_BLOCK = 0; // leaf: first logical block
inline constexpr usize E_LEN = 4;
inline constexpr usize E_START_HI = 6;
inline constexpr usize E_START_LO = 8;
inline constexpr usize I_BLOCK = 0; // index: first logical block covered
inline constexpr usize I_LEAF_LO = 4;
inline constexpr usize I_LEAF_HI = 8;
inline constexpr u16 MAX_INIT_LEN = 32768;
inline constexpr u16 MAX_DEPTH = 5;
} // namespace extent

// Directory entries (ext4_dir_entry_2) and the checksum tail.
namespace dirent {
inline constexpr usize INODE = 0;
inline constexpr usize REC_LEN = 4;
inline constexpr usize NAME_LEN = 6;
inline constexpr usize FILE_TYPE = 7;
inline constexpr usize NAME = 8;
inline constexpr usize HEADER_SIZE = 8;
inline constexpr usize TAIL_SIZE = 12;
inline constexpr u8 TAIL_FILE_TYPE = 0xDE;
inline constexpr usize TAIL_CHECKSUM = 8;
// file_type values
inline constexpr u8 TYPE_UNKNOWN = 0;
inline constexpr u8 TYPE_REGULAR = 1;
inline constexpr u8 TYPE_DIRECTORY = 2;
inline constexpr u8 TYPE_CHARDEV = 3;
inline constexpr u8 TYPE_BLOCKDEV = 4;
inline constexpr u8 TYPE_FIFO = 5;
inline constexpr u8 TYPE_SOCKET = 6;
inline constexpr u8 TYPE_SYMLINK = 7;
} // namespace dirent

// Hashed directory (htree) nodes.
namespace dx {
inline constexpr usize ROOT_INFO = 0x18; // after "." and ".."
inline constexpr usize ROOT_HASH_VERSION = 0x1C;
inline constexpr usize ROOT_INFO_LENGTH = 0x1D;
inline constexpr usize ROOT_INDIRECT_LEVELS = 0x1E;
inline constexpr usize ROOT_ENTRIES = 0x20;
inline constexpr usize NODE_ENTRIES = 0x08; // after a fake empty dirent
inline constexpr usize LIMIT = 0;           // relative to the entries
inline constexpr usize COUNT = 2;
inline constexpr usize ENTRY_SIZE = 8;
inline constexpr usize TAIL_SIZE = 8;
} // namespace dx

} // namespace ext4
