#pragma once

// Where a file's blocks are: the mapping from logical block numbers (block i
// of the file) to disk blocks, kept either as an extent tree (ext4 files
// with EXTENTS_FL; Extents.cpp) or as the classic twelve direct pointers plus
// single, double and triple indirect blocks (ext2/ext3; IndirectBlocks.cpp).
// Functions here dispatch on the inode's flag. All need the filesystem lock;
// those that change the mapping change `inode` in memory (i_block, i_blocks)
// and leave writing it back to the caller.
#include <fs/ext4/Ext4FileSystem.h>

namespace ext4 {

struct MappedBlock {
    u64 physical { 0 };       // 0: a hole
    bool unwritten { false }; // allocated but reads as zeros (extents only)
    // How many following logical blocks map contiguously (at least 1 when
    // mapped; for a hole, how many blocks the hole is known to span).
    u64 run { 1 };
};

// False for inodes whose i_block holds no block pointers (fast symlinks).
bool has_mapped_blocks(const InodeRecord& inode);
// The largest logical block number + 1 the inode's mapping can hold.
u64 logical_block_limit(const Ext4FileSystem& fs, const InodeRecord& inode);

ErrorOr<MappedBlock> map_block(Ext4FileSystem& fs, const InodeRecord& inode, u64 logical);
// Maps the hole at `logical` to a newly allocated block (near `goal`) and
// returns it. The block's contents are whatever was on disk: the caller
// overwrites it.
ErrorOr<u64> allocate_file_block(Ext4FileSystem& fs, InodeRecord& inode, u64 logical, u64 goal);
// Turns an unwritten extent covering `logical` into a written one, zeroing
// its blocks.
ErrorOr<void> convert_unwritten(Ext4FileSystem& fs, InodeRecord& inode, u64 logical);
// Frees every block at or after logical block `first` (and the tree blocks
// that become empty).
ErrorOr<void> truncate_blocks(Ext4FileSystem& fs, InodeRecord& inode, u64 first);
// Sets up an empty mapping in a new inode (an extent root with EXTENTS_FL
// when the filesystem has extents, zeroed pointers otherwise).
void initialize_mapping(const Ext4FileSystem& fs, InodeRecord& inode);

// Extent tree and indirect-block implementations (Extents.cpp, IndirectBlocks.cpp).
namespace extents {
ErrorOr<MappedBlock> map(Ext4FileSystem& fs, const InodeRecord& inode, u64 logical);
ErrorOr<void> insert(Ext4FileSystem& fs, InodeRecord& inode, u64 logical, u64 physical);
ErrorOr<void> convert_unwritten(Ext4FileSystem& fs, InodeRecord& inode, u64 logical);
ErrorOr<void> truncate(Ext4FileSystem& fs, InodeRecord& inode, u64 first);
void initialize_root(InodeRecord& inode);
} // namespace extents

namespace indirect {
ErrorOr<MappedBlock> map(Ext4FileSystem& fs, const InodeRecord& inode, u64 logical);
ErrorOr<u64> allocate(Ext4FileSystem& fs, InodeRecord& inode, u64 logical, u64 goal);
ErrorOr<void> truncate(Ext4FileSystem& fs, InodeRecord& inode, u64 first);
u64 limit(u32 block_size);
} // namespace indirect

} // namespace ext4
