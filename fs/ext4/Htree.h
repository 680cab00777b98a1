#pragma once

// Hashed directories (dir_index): the name hashes and the walk from the
// htree root down to the leaf block that holds a name's hash range.
//
// Hash versions are Linux's: legacy, half-MD4 and TEA, each in a signed
// and an unsigned-char variant (the superblock says which); the seed is
// the superblock's s_hash_seed.
#include <fs/ext4/Ext4FileSystem.h>

namespace ext4::htree {

inline constexpr u8 HASH_LEGACY = 0;
inline constexpr u8 HASH_HALF_MD4 = 1;
inline constexpr u8 HASH_TEA = 2;
inline constexpr u8 UNSIGNED_OFFSET = 3; // the unsigned variants follow
inline constexpr u8 HASH_LIMIT = 6;      // siphash (casefold) and beyond: unsupported

// The major hash of `name` (bit 0 clear), for a hash version 0..5.
u32 hash_name(u8 version, const u32 seed[4], StringView name);

// The hash version a directory's root names, with the superblock's
// unsigned-char choice applied (0..5).
u8 effective_version(const Geometry& g, u8 root_version);

// The logical blocks of `dir` that may hold `name`: its leaf, then the
// following leaves while the range continues across blocks (equal hashes
// split over several leaves mark the later index entries with bit 0).
inline constexpr usize MAX_LEAVES = 8;
struct Leaves {
    u64 blocks[MAX_LEAVES];
    usize count;
};

// EOPNOTSUPP when the tree uses something Osprey does not read (the caller
// then searches linearly); EUCLEAN for a damaged tree.
ErrorOr<Leaves> find_leaves(Ext4FileSystem& fs, const InodeRecord& dir, StringView name);

// One index node on the way from the root to a leaf.
struct Frame {
    u64 logical;        // the node's directory block (0: the root)
    usize count_offset; // where its limit/count word sits
    u32 limit;
    u32 count;
    u32 index; // the entry the descent took
};

// The descent for one hash: frames[0] is the root, frames[levels] the node
// whose entries point at leaves.
struct Path {
    Frame frames[3];
    u8 levels;
    u8 max_levels; // the deepest indirect_levels the filesystem allows
    u32 hash;
    Leaves leaves;
};

ErrorOr<Path> descend(Ext4FileSystem& fs, const InodeRecord& dir, StringView name);

// Adding names (HtreeInsert.cpp). insert() puts a name into the leaf its
// hash selects, splitting that leaf and index nodes as needed; false when
// the tree is full (the caller then removes the index). make_indexed() turns
// a full one-block linear directory into a hashed one, then inserts; false
// when the filesystem's default hash is one Osprey cannot compute.
ErrorOr<bool> insert(Ext4FileSystem& fs, InodeRecord& dir, StringView name, u32 inode, fs::FileType type);
ErrorOr<bool> make_indexed(Ext4FileSystem& fs, InodeRecord& dir, StringView name, u32 inode, fs::FileType type);

} // namespace ext4::htree
