#pragma once

// Directories: blocks of variable-length entries (inode, record length,
// name length, file type, name), each block ending in a checksum tail with
// metadata_csum. A hashed directory (INDEX_FL) keeps an htree in block 0 and
// in interior blocks that look like one empty entry spanning the block;
// every name still lives in an ordinary leaf block. Lookups, removals and
// renames in a hashed directory descend the tree to the leaves holding the
// name's hash (Htree.h); listings walk every block in order and skip the
// tree blocks (checking their checksums on the way).
//
// Adding a name (HtreeInsert.cpp): a linear directory whose one block is
// full gets an index when the filesystem has dir_index (block 0 becomes the
// root, its names move to a new leaf). In a hashed directory the name goes
// into the leaf its hash selects; a full leaf is split by hash (the upper
// half moves to a new leaf), a full index node is split in two, and a full
// root moves its entries one level down, up to the levels the format allows
// (two without large_dir). Only a tree that is full at every level, or one
// using a hash Osprey cannot compute, is removed (INDEX_FL cleared, tree
// blocks turned into empty leaves), which e2fsck accepts; the directory then
// stays linear.
//
// Positions (readdir cookies) are byte offsets in the directory. Entries
// that stay never move: removing an entry, or moving it out in a split,
// joins its space to the entry before it (the block is never compacted), and
// new blocks (leaves and index nodes) are always added at the end. So a
// listing resumed at a position never misses an entry that existed
// throughout; an entry moved by a split (or by indexing, which moves every
// name of block 0) lands in a block at the end and may be seen twice. A
// block is always walked from its start, so any stored position is safe.
// All functions need the filesystem lock; functions that change `dir` in
// memory (size, flags, blocks) leave writing it to the caller.
#include <fs/ext4/Ext4FileSystem.h>

namespace ext4::directory {

struct Entry {
    u32 inode;
    u8 file_type; // dirent::TYPE_*
    StringView name;
    u64 position;      // where this entry starts
    u64 next_position; // where the next one starts
};

class EntryVisitor {
public:
    // Returns false to stop before `entry` (it is not consumed).
    virtual bool visit(const Entry& entry) = 0;

protected:
    ~EntryVisitor() = default;
};

u8 file_type_of(fs::FileType type);
fs::FileType file_type_from(u8 file_type);

// Visits the live entries from `position`; returns where to resume.
ErrorOr<u64> iterate(Ext4FileSystem& fs, const InodeRecord& dir, u64 position, EntryVisitor& visitor);
// The inode named `name`, or ENOENT.
ErrorOr<u32> find(Ext4FileSystem& fs, const InodeRecord& dir, StringView name);
// Adds an entry (the name must not exist yet).
ErrorOr<void> add(Ext4FileSystem& fs, InodeRecord& dir, StringView name, u32 inode, fs::FileType type);
// Removes `name`'s entry and returns its inode (ENOENT if missing).
ErrorOr<u32> remove(Ext4FileSystem& fs, InodeRecord& dir, StringView name);
// Points the existing entry `name` at another inode (rename over a target).
ErrorOr<void> retarget(Ext4FileSystem& fs, InodeRecord& dir, StringView name, u32 inode, fs::FileType type);
// Directory block `logical`, read and checked (checksum, entry layout).
ErrorOr<block::BlockHandle> read_checked_block(Ext4FileSystem& fs, const InodeRecord& dir, u64 logical);
// True if only "." and ".." remain.
ErrorOr<bool> is_empty(Ext4FileSystem& fs, const InodeRecord& dir);
// Writes the first block of a new directory: "." and "..".
ErrorOr<void> initialize(Ext4FileSystem& fs, InodeRecord& dir, u32 parent);
// The inode ".." names.
ErrorOr<u32> parent_of(Ext4FileSystem& fs, const InodeRecord& dir);
ErrorOr<void> set_parent(Ext4FileSystem& fs, InodeRecord& dir, u32 parent);

} // namespace ext4::directory
