// Dispatch between the extent tree and indirect blocks.
#include <fs/ext4/FileBlocks.h>

namespace ext4 {

namespace {

bool uses_extents(const InodeRecord& inode)
{
    return inode.has_flag(inode_flag::EXTENTS);
}

} // namespace

bool has_mapped_blocks(const InodeRecord& inode)
{
    if (inode.has_flag(inode_flag::INLINE_DATA))
        return false;
    fs::FileType type = inode.type();
    if (type == fs::FileType::Symlink) {
        // A fast symlink (target shorter than i_block, as e2fsprogs decides)
        // keeps its target in i_block and owns no data block.
        return inode.size() >= in::BLOCK_SIZE;
    }
    return type == fs::FileType::Regular || type == fs::FileType::Directory;
}

u64 logical_block_limit(const Ext4FileSystem& fs, const InodeRecord& inode)
{
    if (uses_extents(inode))
        return u64(1) << 32;
    return indirect::limit(fs.geometry().block_size);
}

ErrorOr<MappedBlock> map_block(Ext4FileSystem& fs, const InodeRecord& inode, u64 logical)
{
    if (!has_mapped_blocks(inode) || logical >= logical_block_limit(fs, inode))
        return MappedBlock {};
    if (uses_extents(inode))
        return extents::map(fs, inode, logical);
    return indirect::map(fs, inode, logical);
}

ErrorOr<u64> allocate_file_block(Ext4FileSystem& fs, InodeRecord& inode, u64 logical, u64 goal)
{
    if (logical >= logical_block_limit(fs, inode))
        return Error::from_errno(EFBIG);
    if (!uses_extents(inode))
        return indirect::allocate(fs, inode, logical, goal);
    u64 physical = TRY(fs.allocate_block(goal));
    if (auto result = extents::insert(fs, inode, logical, physical); result.is_error()) {
        (void)fs.free_blocks(physical, 1);
        return result.release_error();
    }
    fs.add_inode_blocks(inode, 1);
    return physical;
}

ErrorOr<void> convert_unwritten(Ext4FileSystem& fs, InodeRecord& inode, u64 logical)
{
    if (!uses_extents(inode))
        return {};
    return extents::convert_unwritten(fs, inode, logical);
}

ErrorOr<void> truncate_blocks(Ext4FileSystem& fs, InodeRecord& inode, u64 first)
{
    if (!has_mapped_blocks(inode))
        return {};
    if (uses_extents(inode))
        return extents::truncate(fs, inode, first);
    return indirect::truncate(fs, inode, first);
}

void initialize_mapping(const Ext4FileSystem& fs, InodeRecord& inode)
{
    fill_bytes(inode.block_area(), 0, in::BLOCK_SIZE);
    if (fs.geometry().has_incompat(incompat::EXTENTS)) {
        inode.set_flags(inode.flags() | inode_flag::EXTENTS);
        extents::initialize_root(inode);
    }
}

} // namespace ext4
