// Superblock parsing and the checks that make its geometry trustworthy.
#include <fs/ext4/Crc.h>
#include <fs/ext4/Disk.h>
#include <fs/ext4/Superblock.h>

namespace ext4 {

namespace {

bool is_power_of(u32 value, u32 base)
{
    while (value > 1 && value % base == 0)
        value /= base;
    return value == 1;
}

bool is_power_of_two(u32 value)
{
    return value && (value & (value - 1)) == 0;
}

} // namespace

u32 Geometry::blocks_in_group(u32 group) const
{
    if (group + 1 < group_count)
        return blocks_per_group;
    return u32(blocks_count - group_first_block(group));
}

bool Geometry::group_has_superblock(u32 group) const
{
    if (group == 0)
        return true;
    if (has_compat(compat::SPARSE_SUPER2))
        return group == backup_groups[0] || group == backup_groups[1];
    if (group == 1 || !has_ro_compat(ro_compat::SPARSE_SUPER))
        return true;
    if (!(group & 1))
        return false;
    return is_power_of(group, 3) || is_power_of(group, 5) || is_power_of(group, 7);
}

u64 Geometry::descriptor_block(u32 index) const
{
    if (!has_incompat(incompat::META_BG) || index < first_meta_bg)
        return u64(first_data_block) + 1 + index;
    u32 group = index * descriptors_per_block;
    return group_first_block(group) + (group_has_superblock(group) ? 1 : 0);
}

u32 superblock_checksum(const u8* raw)
{
    return crc32c(~0u, raw, sb::CHECKSUM);
}

ErrorOr<Geometry> parse_superblock(const u8* raw, u64 device_bytes)
{
    if (load16(raw, sb::MAGIC) != MAGIC)
        return Error::from_errno(EINVAL);
    Geometry g;
    g.compat = load32(raw, sb::FEATURE_COMPAT);
    g.incompat = load32(raw, sb::FEATURE_INCOMPAT);
    g.ro_compat = load32(raw, sb::FEATURE_RO_COMPAT);
    u32 revision = load32(raw, sb::REV_LEVEL);
    if (revision == 0) {
        // The original revision has no feature fields.
        g.compat = g.incompat = g.ro_compat = 0;
    } else if (revision > 1) {
        return Error::from_errno(EINVAL);
    }
    if (g.incompat & ~incompat::SUPPORTED)
        return Error::from_errno(EINVAL);
    if (g.has_ro_compat(ro_compat::BIGALLOC))
        return Error::from_errno(EINVAL);

    if (g.has_metadata_csum()) {
        if (load8(raw, sb::CHECKSUM_TYPE) != 1)
            return Error::from_errno(EUCLEAN);
        if (load32(raw, sb::CHECKSUM) != superblock_checksum(raw))
            return Error::from_errno(EUCLEAN);
    }

    g.log_block_size = load32(raw, sb::LOG_BLOCK_SIZE);
    if (g.log_block_size > 6)
        return Error::from_errno(EUCLEAN);
    g.block_size = 1024u << g.log_block_size;
    g.blocks_count = load32(raw, sb::BLOCKS_COUNT_LO);
    if (g.is_64bit())
        g.blocks_count |= u64(load32(raw, sb::BLOCKS_COUNT_HI)) << 32;
    g.inodes_count = load32(raw, sb::INODES_COUNT);
    g.first_data_block = load32(raw, sb::FIRST_DATA_BLOCK);
    g.blocks_per_group = load32(raw, sb::BLOCKS_PER_GROUP);
    g.inodes_per_group = load32(raw, sb::INODES_PER_GROUP);
    if (g.first_data_block != (g.block_size == 1024 ? 1u : 0u))
        return Error::from_errno(EUCLEAN);
    if (g.blocks_count <= g.first_data_block || g.blocks_count > device_bytes / g.block_size)
        return Error::from_errno(EUCLEAN);
    if (g.blocks_per_group < 8 || g.blocks_per_group > g.block_size * 8 || g.blocks_per_group % 8)
        return Error::from_errno(EUCLEAN);
    if (g.inodes_per_group == 0 || g.inodes_per_group > g.block_size * 8 || g.inodes_per_group % 8)
        return Error::from_errno(EUCLEAN);
    u64 groups = (g.blocks_count - g.first_data_block + g.blocks_per_group - 1) / g.blocks_per_group;
    if (groups == 0 || groups > (u64(1) << 32) / g.inodes_per_group)
        return Error::from_errno(EUCLEAN);
    g.group_count = u32(groups);
    if (u64(g.inodes_count) != u64(g.group_count) * g.inodes_per_group)
        return Error::from_errno(EUCLEAN);

    if (revision == 0) {
        g.inode_size = GOOD_OLD_INODE_SIZE;
        g.first_inode = GOOD_OLD_FIRST_INODE;
    } else {
        g.inode_size = load16(raw, sb::INODE_SIZE);
        g.first_inode = load32(raw, sb::FIRST_INO);
    }
    if (g.inode_size < GOOD_OLD_INODE_SIZE || g.inode_size > 1024 || !is_power_of_two(g.inode_size)
        || g.inode_size > g.block_size)
        return Error::from_errno(EUCLEAN);
    if (g.first_inode < GOOD_OLD_FIRST_INODE || g.first_inode > g.inodes_count)
        return Error::from_errno(EUCLEAN);
    g.inode_table_blocks = u32((u64(g.inodes_per_group) * g.inode_size + g.block_size - 1) / g.block_size);

    if (g.is_64bit()) {
        g.desc_size = load16(raw, sb::DESC_SIZE);
        if (g.desc_size < gd::SIZE_64 || g.desc_size > 1024 || !is_power_of_two(g.desc_size))
            return Error::from_errno(EUCLEAN);
    } else {
        g.desc_size = gd::SIZE_32;
    }
    g.descriptors_per_block = g.block_size / g.desc_size;
    g.gdt_blocks = (g.group_count + g.descriptors_per_block - 1) / g.descriptors_per_block;
    g.reserved_gdt_blocks = revision ? load16(raw, sb::RESERVED_GDT_BLOCKS) : 0;
    g.first_meta_bg = load32(raw, sb::FIRST_META_BG);
    if (g.has_incompat(incompat::META_BG)) {
        if (g.first_meta_bg > g.gdt_blocks)
            return Error::from_errno(EUCLEAN);
    } else if (u64(g.first_data_block) + 1 + g.gdt_blocks > g.blocks_count) {
        return Error::from_errno(EUCLEAN);
    }

    for (int i = 0; i < 16; ++i)
        g.uuid[i] = raw[sb::UUID + i];
    if (g.has_incompat(incompat::CSUM_SEED))
        g.checksum_seed = load32(raw, sb::CHECKSUM_SEED);
    else
        g.checksum_seed = crc32c(~0u, g.uuid, 16);
    for (usize i = 0; i < 4; ++i)
        g.hash_seed[i] = load32(raw, sb::HASH_SEED + 4 * i);
    g.default_hash_version = load8(raw, sb::DEF_HASH_VERSION);
    g.unsigned_hash = load32(raw, sb::FLAGS) & FLAG_UNSIGNED_HASH;
    g.journal_inode = g.has_compat(compat::HAS_JOURNAL) ? load32(raw, sb::JOURNAL_INUM) : 0;
    if (g.has_compat(compat::HAS_JOURNAL) && load32(raw, sb::JOURNAL_DEV) != 0 && g.journal_inode == 0)
        return Error::from_errno(EINVAL); // an external journal device
    g.backup_groups[0] = load32(raw, sb::BACKUP_BGS);
    g.backup_groups[1] = load32(raw, sb::BACKUP_BGS + 4);
    return g;
}

} // namespace ext4
