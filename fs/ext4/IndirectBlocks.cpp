// ext2/ext3 block maps: i_block[0..11] point at data blocks, i_block[12] at
// a block of pointers, i_block[13] at a block of pointers to such blocks and
// i_block[14] one level deeper. A zero pointer is a hole.
#include <fs/ext4/FileBlocks.h>

namespace ext4::indirect {

namespace {

constexpr u32 DIRECT_BLOCKS = 12;
constexpr u32 SINGLE = 12;

// Where a logical block sits: which i_block slot starts its chain, how many
// levels of indirect blocks lie below it, and the index at each level.
struct Route {
    u32 slot { 0 };
    u32 levels { 0 };
    u32 indexes[3] {};
};

ErrorOr<Route> route_of(u64 logical, u32 pointers_per_block)
{
    Route route;
    if (logical < DIRECT_BLOCKS) {
        route.slot = u32(logical);
        return route;
    }
    logical -= DIRECT_BLOCKS;
    u64 span = pointers_per_block;
    for (u32 levels = 1; levels <= 3; ++levels) {
        if (logical < span) {
            route.slot = SINGLE + levels - 1;
            route.levels = levels;
            for (u32 level = levels; level-- > 0;) {
                route.indexes[level] = u32(logical % pointers_per_block);
                logical /= pointers_per_block;
            }
            return route;
        }
        logical -= span;
        span *= pointers_per_block;
    }
    return Error::from_errno(EFBIG);
}

u32 slot_pointer(const InodeRecord& inode, u32 slot)
{
    return load32(inode.block_area(), usize(slot) * 4);
}

// Frees the pointers at or after `first` (relative to this subtree) in the
// indirect block `block` at `level` (1 = points at data); returns true if
// the block is left with no pointers, having freed it.
ErrorOr<bool> truncate_indirect(Ext4FileSystem& fs, InodeRecord& inode, u64 block, u32 level, u64 first)
{
    if (!fs.is_valid_data_block(block))
        return Error::from_errno(EUCLEAN);
    u32 per_block = fs.geometry().block_size / 4;
    u64 span = 1;
    for (u32 i = 1; i < level; ++i)
        span *= per_block;
    auto handle = TRY(fs.read_block(block));
    u8* pointers = handle.data();
    bool any_left = false;
    for (u32 i = 0; i < per_block; ++i) {
        u32 child = load32(pointers, usize(i) * 4);
        if (!child)
            continue;
        u64 child_first = u64(i) * span;
        if (child_first + span <= first) {
            any_left = true;
            continue;
        }
        if (level == 1) {
            TRY(fs.free_blocks(child, 1));
            fs.add_inode_blocks(inode, -1);
            store32(pointers, usize(i) * 4, 0);
        } else {
            u64 relative = first > child_first ? first - child_first : 0;
            bool emptied = TRY(truncate_indirect(fs, inode, child, level - 1, relative));
            if (emptied)
                store32(pointers, usize(i) * 4, 0);
            else
                any_left = true;
        }
        handle.mark_dirty();
    }
    if (any_left)
        return false;
    handle.release();
    TRY(fs.free_blocks(block, 1));
    fs.add_inode_blocks(inode, -1);
    return true;
}

} // namespace

u64 limit(u32 block_size)
{
    u64 per_block = block_size / 4;
    u64 total = DIRECT_BLOCKS + per_block + per_block * per_block + per_block * per_block * per_block;
    // i_blocks-free limit: ext2 files stop at 2^32 blocks.
    return min<u64>(total, u64(1) << 32);
}

ErrorOr<MappedBlock> map(Ext4FileSystem& fs, const InodeRecord& inode, u64 logical)
{
    u32 per_block = fs.geometry().block_size / 4;
    Route route = TRY(route_of(logical, per_block));
    u64 block = slot_pointer(inode, route.slot);
    for (u32 level = 0; level < route.levels && block; ++level) {
        if (!fs.is_valid_data_block(block))
            return Error::from_errno(EUCLEAN);
        auto handle = TRY(fs.read_block(block));
        block = load32(handle.data(), usize(route.indexes[level]) * 4);
    }
    if (block && !fs.is_valid_data_block(block))
        return Error::from_errno(EUCLEAN);
    return MappedBlock { block, false, 1 };
}

ErrorOr<u64> allocate(Ext4FileSystem& fs, InodeRecord& inode, u64 logical, u64 goal)
{
    u32 per_block = fs.geometry().block_size / 4;
    Route route = TRY(route_of(logical, per_block));
    u8* slots = inode.block_area();
    u32 pointer = load32(slots, usize(route.slot) * 4);
    if (route.levels == 0) {
        if (pointer)
            return Error::from_errno(EEXIST);
        u64 block = TRY(fs.allocate_block(goal));
        store32(slots, usize(route.slot) * 4, u32(block));
        fs.add_inode_blocks(inode, 1);
        return block;
    }
    if (!pointer) {
        u64 block = TRY(fs.allocate_block(goal));
        auto handle = TRY(fs.overwrite_block(block));
        store32(slots, usize(route.slot) * 4, u32(block));
        fs.add_inode_blocks(inode, 1);
        pointer = u32(block);
    }
    u64 current = pointer;
    for (u32 level = 0; level < route.levels; ++level) {
        if (!fs.is_valid_data_block(current))
            return Error::from_errno(EUCLEAN);
        auto handle = TRY(fs.read_block(current));
        usize offset = usize(route.indexes[level]) * 4;
        u32 next = load32(handle.data(), offset);
        bool last = level + 1 == route.levels;
        if (last && next)
            return Error::from_errno(EEXIST);
        if (!next) {
            u64 block = TRY(fs.allocate_block(last ? goal : current + 1));
            if (!last) {
                auto fresh = TRY(fs.overwrite_block(block));
            }
            store32(handle.data(), offset, u32(block));
            handle.mark_dirty();
            fs.add_inode_blocks(inode, 1);
            next = u32(block);
        }
        current = next;
    }
    return current;
}

ErrorOr<void> truncate(Ext4FileSystem& fs, InodeRecord& inode, u64 first)
{
    u8* slots = inode.block_area();
    for (u32 slot = 0; slot < DIRECT_BLOCKS; ++slot) {
        u32 block = load32(slots, usize(slot) * 4);
        if (block && slot >= first) {
            TRY(fs.free_blocks(block, 1));
            fs.add_inode_blocks(inode, -1);
            store32(slots, usize(slot) * 4, 0);
        }
    }
    u32 per_block = fs.geometry().block_size / 4;
    u64 start = DIRECT_BLOCKS;
    u64 span = per_block;
    for (u32 level = 1; level <= 3; ++level) {
        u32 slot = SINGLE + level - 1;
        u32 block = load32(slots, usize(slot) * 4);
        if (block && start + span > first) {
            u64 relative = first > start ? first - start : 0;
            bool emptied = TRY(truncate_indirect(fs, inode, block, level, relative));
            if (emptied)
                store32(slots, usize(slot) * 4, 0);
        }
        start += span;
        span *= per_block;
    }
    return {};
}

} // namespace ext4::indirect
