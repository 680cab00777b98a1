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

// The logical blocks of `dir` that may hold `name`: its leaf, then a
// following leaf when the range continues across blocks (hash collisions).
struct Leaves {
    u64 blocks[2];
    usize count;
};

// EOPNOTSUPP when the tree uses something Osprey does not read (the caller
// then searches linearly); EUCLEAN for a damaged tree.
ErrorOr<Leaves> find_leaves(Ext4FileSystem& fs, const InodeRecord& dir, StringView name);

} // namespace ext4::htree
