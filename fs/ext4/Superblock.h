#pragma once

// The superblock, parsed and checked. Geometry holds the values the rest of
// ext4 computes with, derived once at mount from the raw 1024 bytes after
// every field has been checked against the others and against the device, so
// later code can trust them (group counts, table sizes, shifts).
#include <fs/ext4/Layout.h>
#include <kernel/lib/Error.h>

namespace ext4 {

struct Geometry {
    u32 block_size { 0 };
    u32 log_block_size { 0 }; // block_size = 1024 << log_block_size
    u64 blocks_count { 0 };
    u32 inodes_count { 0 };
    u32 first_data_block { 0 };
    u32 blocks_per_group { 0 };
    u32 inodes_per_group { 0 };
    u32 group_count { 0 };
    u32 inode_size { 0 };
    u32 first_inode { 0 }; // the first non-reserved inode
    u32 desc_size { 0 };
    u32 descriptors_per_block { 0 };
    u32 gdt_blocks { 0 }; // blocks of group descriptors (without meta_bg)
    u32 reserved_gdt_blocks { 0 };
    u32 inode_table_blocks { 0 }; // per group
    u32 first_meta_bg { 0 };
    u32 compat { 0 };
    u32 incompat { 0 };
    u32 ro_compat { 0 };
    u32 checksum_seed { 0 }; // crc32c of the uuid, or s_checksum_seed
    u32 hash_seed[4] {};
    u8 default_hash_version { 0 };
    bool unsigned_hash { false };
    u32 journal_inode { 0 };
    u32 backup_groups[2] {};
    u8 uuid[16] {};

    bool has_compat(u32 bit) const { return compat & bit; }
    bool has_incompat(u32 bit) const { return incompat & bit; }
    bool has_ro_compat(u32 bit) const { return ro_compat & bit; }
    bool has_metadata_csum() const { return ro_compat & ro_compat::METADATA_CSUM; }
    bool has_group_csum() const { return has_metadata_csum() || (ro_compat & ro_compat::GDT_CSUM); }
    bool has_filetype() const { return incompat & incompat::FILETYPE; }
    bool is_64bit() const { return incompat & incompat::BIT64; }

    u64 group_first_block(u32 group) const { return first_data_block + u64(group) * blocks_per_group; }
    // Blocks in `group` (the last group may be short).
    u32 blocks_in_group(u32 group) const;
    // True if the group holds a superblock backup (sparse_super rules).
    bool group_has_superblock(u32 group) const;
    // The block holding group descriptor block `index` (meta_bg aware).
    u64 descriptor_block(u32 index) const;
};

// Checks the raw superblock (superblock checksum included) against a device
// of `device_bytes` bytes. EINVAL for anything not ext2/3/4 or not
// supported, EUCLEAN for a corrupt one (bad checksum, impossible geometry).
ErrorOr<Geometry> parse_superblock(const u8* raw, u64 device_bytes);

// The superblock checksum over `raw` (only meaningful with metadata_csum).
u32 superblock_checksum(const u8* raw);

} // namespace ext4
