// Block groups: the descriptor table, the block and inode bitmaps (including
// groups mkfs left uninitialized) and allocation from them.
#include <fs/ext4/Crc.h>
#include <fs/ext4/Ext4FileSystem.h>
#include <kernel/lib/Allocator.h>

namespace ext4 {

namespace {

bool test_bit(const u8* bitmap, u32 bit)
{
    return bitmap[bit / 8] & (1u << (bit % 8));
}

void set_bit(u8* bitmap, u32 bit)
{
    bitmap[bit / 8] = u8(bitmap[bit / 8] | (1u << (bit % 8)));
}

void clear_bit(u8* bitmap, u32 bit)
{
    bitmap[bit / 8] = u8(bitmap[bit / 8] & ~(1u << (bit % 8)));
}

// The first clear bit in [from, limit), or limit.
u32 find_clear_bit(const u8* bitmap, u32 from, u32 limit)
{
    u32 bit = from;
    while (bit < limit) {
        if (bit % 8 == 0 && bitmap[bit / 8] == 0xFF) {
            bit += 8;
            continue;
        }
        if (!test_bit(bitmap, bit))
            return bit;
        ++bit;
    }
    return limit;
}

} // namespace

u64 Ext4FileSystem::descriptor_u64(u32 group, usize lo, usize hi)
{
    u8* d = descriptor(group);
    u64 value = load32(d, lo);
    if (m_geometry.desc_size >= gd::SIZE_64)
        value |= u64(load32(d, hi)) << 32;
    return value;
}

// 16-bit fields split into lo/hi halves.
u32 Ext4FileSystem::descriptor_u32(u32 group, usize lo, usize hi)
{
    u8* d = descriptor(group);
    u32 value = load16(d, lo);
    if (m_geometry.desc_size >= gd::SIZE_64)
        value |= u32(load16(d, hi)) << 16;
    return value;
}

void Ext4FileSystem::set_descriptor_u32(u32 group, usize lo, usize hi, u32 value)
{
    u8* d = descriptor(group);
    store16(d, lo, u16(value));
    if (m_geometry.desc_size >= gd::SIZE_64)
        store16(d, hi, u16(value >> 16));
}

u16 Ext4FileSystem::descriptor_checksum(u32 group)
{
    const u8* d = descriptor(group);
    usize size = m_geometry.desc_size;
    if (m_geometry.has_metadata_csum()) {
        u32 crc = crc32c_u32(m_geometry.checksum_seed, group);
        crc = crc32c(crc, d, gd::CHECKSUM);
        u8 zero[2] = { 0, 0 };
        crc = crc32c(crc, zero, 2);
        if (size > gd::CHECKSUM + 2)
            crc = crc32c(crc, d + gd::CHECKSUM + 2, size - gd::CHECKSUM - 2);
        return u16(crc & 0xFFFF);
    }
    u8 number[4] = { u8(group), u8(group >> 8), u8(group >> 16), u8(group >> 24) };
    u16 crc = crc16(0xFFFF, m_geometry.uuid, 16);
    crc = crc16(crc, number, 4);
    crc = crc16(crc, d, gd::CHECKSUM);
    if (m_geometry.is_64bit() && size > gd::CHECKSUM + 2)
        crc = crc16(crc, d + gd::CHECKSUM + 2, size - gd::CHECKSUM - 2);
    return crc;
}

ErrorOr<void> Ext4FileSystem::check_group_descriptor(u32 group)
{
    const Geometry& g = m_geometry;
    if (g.has_group_csum() && load16(descriptor(group), gd::CHECKSUM) != descriptor_checksum(group))
        return Error::from_errno(EUCLEAN);
    // Bitmaps and the inode table must lie inside the filesystem, past the
    // primary descriptors; without flex_bg, inside their own group.
    u64 low = u64(g.first_data_block) + 1;
    u64 block_bitmap = block_bitmap_block(group);
    u64 inode_bitmap = inode_bitmap_block(group);
    u64 table = inode_table_block(group);
    if (block_bitmap < low || block_bitmap >= g.blocks_count || inode_bitmap < low || inode_bitmap >= g.blocks_count
        || table < low || table + g.inode_table_blocks > g.blocks_count || table + g.inode_table_blocks < table)
        return Error::from_errno(EUCLEAN);
    if (!g.has_incompat(incompat::FLEX_BG)) {
        u64 first = g.group_first_block(group);
        u64 end = first + g.blocks_in_group(group);
        if (block_bitmap < first || block_bitmap >= end || inode_bitmap < first || inode_bitmap >= end || table < first
            || table + g.inode_table_blocks > end)
            return Error::from_errno(EUCLEAN);
    }
    if (descriptor_u32(group, gd::FREE_BLOCKS_LO, gd::FREE_BLOCKS_HI) > g.blocks_in_group(group)
        || descriptor_u32(group, gd::FREE_INODES_LO, gd::FREE_INODES_HI) > g.inodes_per_group
        || descriptor_u32(group, gd::ITABLE_UNUSED_LO, gd::ITABLE_UNUSED_HI) > g.inodes_per_group)
        return Error::from_errno(EUCLEAN);
    return {};
}

ErrorOr<void> Ext4FileSystem::load_group_descriptors()
{
    const Geometry& g = m_geometry;
    usize bytes = usize(g.group_count) * g.desc_size;
    m_descriptors = static_cast<u8*>(lib::allocate(bytes, 16));
    m_group_state = static_cast<u8*>(lib::allocate(g.group_count, 1));
    if (!m_descriptors || !m_group_state)
        return Error::from_errno(ENOMEM);
    fill_bytes(m_group_state, 0, g.group_count);
    for (u32 index = 0; index < g.gdt_blocks; ++index) {
        u64 block = g.descriptor_block(index);
        if (block >= g.blocks_count)
            return Error::from_errno(EUCLEAN);
        auto handle = TRY(m_cache->read(block));
        u32 first = index * g.descriptors_per_block;
        u32 count = min(g.descriptors_per_block, g.group_count - first);
        copy_bytes(m_descriptors + usize(first) * g.desc_size, handle.data(), usize(count) * g.desc_size);
    }
    u64 free_blocks = 0;
    u64 free_inodes = 0;
    for (u32 group = 0; group < g.group_count; ++group) {
        TRY(check_group_descriptor(group));
        free_blocks += descriptor_u32(group, gd::FREE_BLOCKS_LO, gd::FREE_BLOCKS_HI);
        free_inodes += descriptor_u32(group, gd::FREE_INODES_LO, gd::FREE_INODES_HI);
    }
    m_free_blocks = free_blocks;
    m_free_inodes = free_inodes;
    return {};
}

ErrorOr<void> Ext4FileSystem::write_descriptor(u32 group)
{
    const Geometry& g = m_geometry;
    if (g.has_group_csum())
        store16(descriptor(group), gd::CHECKSUM, descriptor_checksum(group));
    u32 index = group / g.descriptors_per_block;
    auto handle = TRY(m_cache->read(g.descriptor_block(index)));
    copy_bytes(handle.data() + usize(group % g.descriptors_per_block) * g.desc_size, descriptor(group), g.desc_size);
    handle.mark_dirty();
    return {};
}

void Ext4FileSystem::update_bitmap_checksum(u32 group, const u8* bitmap, bool block_bitmap)
{
    if (!m_geometry.has_metadata_csum())
        return;
    u32 size = (block_bitmap ? m_geometry.blocks_per_group : m_geometry.inodes_per_group) / 8;
    u32 crc = crc32c(m_geometry.checksum_seed, bitmap, size);
    u8* d = descriptor(group);
    store16(d, block_bitmap ? gd::BLOCK_BITMAP_CSUM_LO : gd::INODE_BITMAP_CSUM_LO, u16(crc));
    if (m_geometry.desc_size >= gd::SIZE_64)
        store16(d, block_bitmap ? gd::BLOCK_BITMAP_CSUM_HI : gd::INODE_BITMAP_CSUM_HI, u16(crc >> 16));
}

bool Ext4FileSystem::bitmap_checksum_matches(u32 group, const u8* bitmap, bool block_bitmap)
{
    if (!m_geometry.has_metadata_csum())
        return true;
    u32 size = (block_bitmap ? m_geometry.blocks_per_group : m_geometry.inodes_per_group) / 8;
    u32 crc = crc32c(m_geometry.checksum_seed, bitmap, size);
    u8* d = descriptor(group);
    if (load16(d, block_bitmap ? gd::BLOCK_BITMAP_CSUM_LO : gd::INODE_BITMAP_CSUM_LO) != u16(crc))
        return false;
    if (m_geometry.desc_size >= gd::SIZE_64
        && load16(d, block_bitmap ? gd::BLOCK_BITMAP_CSUM_HI : gd::INODE_BITMAP_CSUM_HI) != u16(crc >> 16))
        return false;
    return true;
}

ErrorOr<block::BlockHandle> Ext4FileSystem::load_block_bitmap(u32 group)
{
    const Geometry& g = m_geometry;
    u16 flags = load16(descriptor(group), gd::FLAGS);
    if (g.has_group_csum() && (flags & gd::BLOCK_UNINIT)) {
        // Build what mkfs left implicit: the group's own superblock backup
        // and descriptor blocks, every group's bitmaps and inode table that
        // lie in this group (flex_bg packs them together), and the bits past
        // the group's end.
        if (g.has_incompat(incompat::META_BG))
            return Error::from_errno(EROFS);
        auto handle = TRY(overwrite_block(block_bitmap_block(group)));
        u8* bitmap = handle.data();
        u64 first = g.group_first_block(group);
        u32 count = g.blocks_in_group(group);
        auto mark = [&](u64 block, u64 length) {
            for (u64 b = block; b < block + length; ++b) {
                if (b >= first && b < first + count)
                    set_bit(bitmap, u32(b - first));
            }
        };
        if (g.group_has_superblock(group))
            mark(first, 1 + u64(g.gdt_blocks) + g.reserved_gdt_blocks);
        for (u32 other = 0; other < g.group_count; ++other) {
            mark(block_bitmap_block(other), 1);
            mark(inode_bitmap_block(other), 1);
            mark(inode_table_block(other), g.inode_table_blocks);
        }
        for (u32 bit = count; bit < g.block_size * 8; ++bit)
            set_bit(bitmap, bit);
        store16(descriptor(group), gd::FLAGS, u16(flags & ~gd::BLOCK_UNINIT));
        update_bitmap_checksum(group, bitmap, true);
        m_group_state[group] |= GROUP_BLOCK_BITMAP_CHECKED;
        TRY(write_descriptor(group));
        return handle;
    }
    auto handle = TRY(read_block(block_bitmap_block(group)));
    if (!(m_group_state[group] & GROUP_BLOCK_BITMAP_CHECKED)) {
        if (!bitmap_checksum_matches(group, handle.data(), true))
            return Error::from_errno(EUCLEAN);
        m_group_state[group] |= GROUP_BLOCK_BITMAP_CHECKED;
    }
    return handle;
}

ErrorOr<block::BlockHandle> Ext4FileSystem::load_inode_bitmap(u32 group)
{
    const Geometry& g = m_geometry;
    u16 flags = load16(descriptor(group), gd::FLAGS);
    if (g.has_group_csum() && (flags & gd::INODE_UNINIT)) {
        auto handle = TRY(overwrite_block(inode_bitmap_block(group)));
        u8* bitmap = handle.data();
        for (u32 bit = g.inodes_per_group; bit < g.block_size * 8; ++bit)
            set_bit(bitmap, bit);
        store16(descriptor(group), gd::FLAGS, u16(flags & ~gd::INODE_UNINIT));
        update_bitmap_checksum(group, bitmap, false);
        m_group_state[group] |= GROUP_INODE_BITMAP_CHECKED;
        TRY(write_descriptor(group));
        return handle;
    }
    auto handle = TRY(read_block(inode_bitmap_block(group)));
    if (!(m_group_state[group] & GROUP_INODE_BITMAP_CHECKED)) {
        if (!bitmap_checksum_matches(group, handle.data(), false))
            return Error::from_errno(EUCLEAN);
        m_group_state[group] |= GROUP_INODE_BITMAP_CHECKED;
    }
    return handle;
}

ErrorOr<void> Ext4FileSystem::refresh_bitmap_checksums()
{
    for (u32 group = 0; group < m_geometry.group_count; ++group) {
        u8 state = m_group_state[group];
        if (!(state & (GROUP_BLOCK_CHECKSUM_STALE | GROUP_INODE_CHECKSUM_STALE)))
            continue;
        if (state & GROUP_BLOCK_CHECKSUM_STALE) {
            auto handle = TRY(read_block(block_bitmap_block(group)));
            update_bitmap_checksum(group, handle.data(), true);
        }
        if (state & GROUP_INODE_CHECKSUM_STALE) {
            auto handle = TRY(read_block(inode_bitmap_block(group)));
            update_bitmap_checksum(group, handle.data(), false);
        }
        m_group_state[group] = u8(state & ~(GROUP_BLOCK_CHECKSUM_STALE | GROUP_INODE_CHECKSUM_STALE));
        TRY(write_descriptor(group));
    }
    return {};
}

ErrorOr<u64> Ext4FileSystem::allocate_block_in_group(u32 group, u64 goal)
{
    const Geometry& g = m_geometry;
    auto bitmap = TRY(load_block_bitmap(group));
    u64 first = g.group_first_block(group);
    u32 count = g.blocks_in_group(group);
    u32 start = (goal >= first && goal < first + count) ? u32(goal - first) : 0;
    u32 bit = find_clear_bit(bitmap.data(), start, count);
    if (bit == count && start > 0)
        bit = find_clear_bit(bitmap.data(), 0, start);
    if (bit >= count)
        return Error::from_errno(ENOSPC);
    u64 block = first + bit;
    // A bitmap claiming the superblock or descriptors are free is corrupt.
    if (block <= g.first_data_block + u64(g.gdt_blocks))
        return Error::from_errno(EUCLEAN);
    set_bit(bitmap.data(), bit);
    bitmap.mark_dirty();
    m_group_state[group] |= GROUP_BLOCK_CHECKSUM_STALE;
    u32 free = descriptor_u32(group, gd::FREE_BLOCKS_LO, gd::FREE_BLOCKS_HI);
    set_descriptor_u32(group, gd::FREE_BLOCKS_LO, gd::FREE_BLOCKS_HI, free ? free - 1 : 0);
    TRY(write_descriptor(group));
    if (m_free_blocks)
        --m_free_blocks;
    m_last_group = group;
    return block;
}

ErrorOr<u64> Ext4FileSystem::allocate_block(u64 goal)
{
    if (m_read_only)
        return Error::from_errno(EROFS);
    const Geometry& g = m_geometry;
    if (m_free_blocks == 0)
        return Error::from_errno(ENOSPC);
    u32 start = (goal >= g.first_data_block && goal < g.blocks_count) ? u32(group_of_block(goal)) : m_last_group;
    for (u32 i = 0; i < g.group_count; ++i) {
        u32 group = (start + i) % g.group_count;
        if (descriptor_u32(group, gd::FREE_BLOCKS_LO, gd::FREE_BLOCKS_HI) == 0)
            continue;
        auto block = allocate_block_in_group(group, i == 0 ? goal : 0);
        if (!block.is_error())
            return block.release_value();
        if (block.error().code() != ENOSPC)
            return block.release_error();
    }
    return Error::from_errno(ENOSPC);
}

ErrorOr<void> Ext4FileSystem::free_blocks(u64 first, u64 count)
{
    if (m_read_only)
        return Error::from_errno(EROFS);
    const Geometry& g = m_geometry;
    if (!is_valid_data_block(first, count))
        return Error::from_errno(EUCLEAN);
    while (count > 0) {
        u32 group = u32(group_of_block(first));
        u64 group_first = g.group_first_block(group);
        u32 offset = u32(first - group_first);
        u32 run = u32(min<u64>(count, g.blocks_in_group(group) - offset));
        auto bitmap = TRY(load_block_bitmap(group));
        u32 freed = 0;
        for (u32 i = 0; i < run; ++i) {
            if (test_bit(bitmap.data(), offset + i)) {
                clear_bit(bitmap.data(), offset + i);
                ++freed;
            }
            m_cache->forget(first + i);
        }
        bitmap.mark_dirty();
        m_group_state[group] |= GROUP_BLOCK_CHECKSUM_STALE;
        u32 free = descriptor_u32(group, gd::FREE_BLOCKS_LO, gd::FREE_BLOCKS_HI);
        set_descriptor_u32(group, gd::FREE_BLOCKS_LO, gd::FREE_BLOCKS_HI, free + freed);
        TRY(write_descriptor(group));
        m_free_blocks += freed;
        first += run;
        count -= run;
    }
    return {};
}

ErrorOr<u32> Ext4FileSystem::allocate_inode_in_group(u32 group, bool directory)
{
    const Geometry& g = m_geometry;
    auto bitmap = TRY(load_inode_bitmap(group));
    u32 start = group == 0 ? g.first_inode - 1 : 0;
    u32 bit = find_clear_bit(bitmap.data(), start, g.inodes_per_group);
    if (bit >= g.inodes_per_group)
        return Error::from_errno(ENOSPC);
    set_bit(bitmap.data(), bit);
    bitmap.mark_dirty();
    m_group_state[group] |= GROUP_INODE_CHECKSUM_STALE;
    u32 free = descriptor_u32(group, gd::FREE_INODES_LO, gd::FREE_INODES_HI);
    set_descriptor_u32(group, gd::FREE_INODES_LO, gd::FREE_INODES_HI, free ? free - 1 : 0);
    if (directory) {
        u32 dirs = descriptor_u32(group, gd::USED_DIRS_LO, gd::USED_DIRS_HI);
        set_descriptor_u32(group, gd::USED_DIRS_LO, gd::USED_DIRS_HI, dirs + 1);
    }
    if (g.has_group_csum()) {
        // Inodes past the high-water mark are unused: e2fsck skips them.
        u32 unused = descriptor_u32(group, gd::ITABLE_UNUSED_LO, gd::ITABLE_UNUSED_HI);
        if (bit >= g.inodes_per_group - unused)
            set_descriptor_u32(group, gd::ITABLE_UNUSED_LO, gd::ITABLE_UNUSED_HI, g.inodes_per_group - bit - 1);
    }
    TRY(write_descriptor(group));
    if (m_free_inodes)
        --m_free_inodes;
    return group * g.inodes_per_group + bit + 1;
}

ErrorOr<u32> Ext4FileSystem::allocate_inode(u32 parent, bool directory)
{
    if (m_read_only)
        return Error::from_errno(EROFS);
    const Geometry& g = m_geometry;
    if (m_free_inodes == 0)
        return Error::from_errno(ENOSPC);
    u32 start = group_of_inode(parent);
    if (directory) {
        // Spread directories: the group with the most free inodes among those
        // with at least the average number of free blocks.
        u64 average_free_blocks = m_free_blocks / g.group_count;
        u32 best_free = 0;
        for (u32 group = 0; group < g.group_count; ++group) {
            u32 free = descriptor_u32(group, gd::FREE_INODES_LO, gd::FREE_INODES_HI);
            if (descriptor_u32(group, gd::FREE_BLOCKS_LO, gd::FREE_BLOCKS_HI) >= average_free_blocks
                && free > best_free) {
                best_free = free;
                start = group;
            }
        }
    }
    for (u32 i = 0; i < g.group_count; ++i) {
        u32 group = (start + i) % g.group_count;
        if (descriptor_u32(group, gd::FREE_INODES_LO, gd::FREE_INODES_HI) == 0)
            continue;
        auto number = allocate_inode_in_group(group, directory);
        if (!number.is_error())
            return number.release_value();
        if (number.error().code() != ENOSPC)
            return number.release_error();
    }
    return Error::from_errno(ENOSPC);
}

ErrorOr<void> Ext4FileSystem::free_inode(u32 number, bool directory)
{
    if (m_read_only)
        return Error::from_errno(EROFS);
    const Geometry& g = m_geometry;
    if (number == 0 || number > g.inodes_count)
        return Error::from_errno(EUCLEAN);
    u32 group = group_of_inode(number);
    u32 bit = (number - 1) % g.inodes_per_group;
    auto bitmap = TRY(load_inode_bitmap(group));
    if (!test_bit(bitmap.data(), bit))
        return Error::from_errno(EUCLEAN);
    clear_bit(bitmap.data(), bit);
    bitmap.mark_dirty();
    m_group_state[group] |= GROUP_INODE_CHECKSUM_STALE;
    u32 free = descriptor_u32(group, gd::FREE_INODES_LO, gd::FREE_INODES_HI);
    set_descriptor_u32(group, gd::FREE_INODES_LO, gd::FREE_INODES_HI, free + 1);
    if (directory) {
        u32 dirs = descriptor_u32(group, gd::USED_DIRS_LO, gd::USED_DIRS_HI);
        set_descriptor_u32(group, gd::USED_DIRS_LO, gd::USED_DIRS_HI, dirs ? dirs - 1 : 0);
    }
    TRY(write_descriptor(group));
    ++m_free_inodes;
    return {};
}

} // namespace ext4
