// The inode table: reading and writing inode records with their checksums,
// fresh inodes, and releasing an inode whose last link and user are gone.
#include <fs/ext4/Crc.h>
#include <fs/ext4/Ext4FileSystem.h>
#include <fs/ext4/FileBlocks.h>

namespace ext4 {

namespace {

constexpr u32 XATTR_MAGIC = 0xEA020000;
constexpr usize XATTR_REFCOUNT = 4;
constexpr usize XATTR_CHECKSUM = 0x10;
constexpr u16 WANTED_EXTRA_SIZE = 32;

u32 inode_checksum(const InodeRecord& inode, u32 seed)
{
    u8 zero[2] = { 0, 0 };
    u32 crc = crc32c(seed, inode.raw, in::CHECKSUM_LO);
    crc = crc32c(crc, zero, 2);
    crc = crc32c(crc, inode.raw + in::CHECKSUM_LO + 2, GOOD_OLD_INODE_SIZE - in::CHECKSUM_LO - 2);
    if (inode.size_on_disk > GOOD_OLD_INODE_SIZE) {
        crc = crc32c(crc, inode.raw + GOOD_OLD_INODE_SIZE, in::CHECKSUM_HI - GOOD_OLD_INODE_SIZE);
        usize rest = in::CHECKSUM_HI;
        if (inode.has_extra_field(in::CHECKSUM_HI + 2)) {
            crc = crc32c(crc, zero, 2);
            rest += 2;
        }
        crc = crc32c(crc, inode.raw + rest, inode.size_on_disk - rest);
    }
    return crc;
}

} // namespace

u32 Ext4FileSystem::inode_checksum_seed(const InodeRecord& inode) const
{
    u32 seed = crc32c_u32(m_geometry.checksum_seed, inode.number);
    return crc32c_u32(seed, inode.generation());
}

ErrorOr<void> Ext4FileSystem::read_inode(u32 number, InodeRecord& inode)
{
    const Geometry& g = m_geometry;
    if (number == 0 || number > g.inodes_count)
        return Error::from_errno(EUCLEAN);
    u32 group = group_of_inode(number);
    u32 index = (number - 1) % g.inodes_per_group;
    u64 byte = u64(index) * g.inode_size;
    auto handle = TRY(read_block(inode_table_block(group) + byte / g.block_size));
    inode.number = number;
    inode.size_on_disk = g.inode_size;
    copy_bytes(inode.raw, handle.data() + byte % g.block_size, g.inode_size);
    if (g.inode_size > GOOD_OLD_INODE_SIZE) {
        u32 extra = load16(inode.raw, in::EXTRA_ISIZE);
        if (extra % 4 || GOOD_OLD_INODE_SIZE + extra > g.inode_size)
            return Error::from_errno(EUCLEAN);
    }
    if (g.has_metadata_csum()) {
        bool all_zero = true;
        for (u32 i = 0; i < g.inode_size && all_zero; ++i)
            all_zero = inode.raw[i] == 0;
        if (!all_zero) {
            u32 crc = inode_checksum(inode, inode_checksum_seed(inode));
            bool matches = load16(inode.raw, in::CHECKSUM_LO) == u16(crc);
            if (inode.has_extra_field(in::CHECKSUM_HI + 2))
                matches = matches && load16(inode.raw, in::CHECKSUM_HI) == u16(crc >> 16);
            if (!matches)
                return Error::from_errno(EUCLEAN);
        }
    }
    return {};
}

ErrorOr<void> Ext4FileSystem::write_inode(InodeRecord& inode)
{
    if (m_read_only)
        return Error::from_errno(EROFS);
    const Geometry& g = m_geometry;
    if (g.has_metadata_csum()) {
        u32 crc = inode_checksum(inode, inode_checksum_seed(inode));
        store16(inode.raw, in::CHECKSUM_LO, u16(crc));
        if (inode.has_extra_field(in::CHECKSUM_HI + 2))
            store16(inode.raw, in::CHECKSUM_HI, u16(crc >> 16));
    }
    u32 group = group_of_inode(inode.number);
    u32 index = (inode.number - 1) % g.inodes_per_group;
    u64 byte = u64(index) * g.inode_size;
    auto handle = TRY(read_block(inode_table_block(group) + byte / g.block_size));
    copy_bytes(handle.data() + byte % g.block_size, inode.raw, g.inode_size);
    handle.mark_dirty();
    return {};
}

void Ext4FileSystem::initialize_inode(InodeRecord& inode, u32 number, u16 mode, fs::NewOwner owner)
{
    const Geometry& g = m_geometry;
    fill_bytes(inode.raw, 0, sizeof(inode.raw));
    inode.number = number;
    inode.size_on_disk = g.inode_size;
    if (g.inode_size > GOOD_OLD_INODE_SIZE)
        store16(inode.raw, in::EXTRA_ISIZE, u16(min<u32>(WANTED_EXTRA_SIZE, g.inode_size - GOOD_OLD_INODE_SIZE)));
    inode.set_mode(mode);
    inode.set_uid(owner.uid);
    inode.set_gid(owner.gid);
    fs::Timespec now = fs::current_time();
    inode.set_time(in::ATIME, in::ATIME_EXTRA, now);
    inode.set_time(in::CTIME, in::CTIME_EXTRA, now);
    inode.set_time(in::MTIME, in::MTIME_EXTRA, now);
    inode.set_time(in::CRTIME, in::CRTIME_EXTRA, now);
    // A generation that differs between reuses of the inode number.
    store32(inode.raw, in::GENERATION, crc32c_u32(number, u32(now.nanoseconds) ^ u32(now.seconds)));
}

void Ext4FileSystem::add_inode_blocks(InodeRecord& inode, i64 blocks)
{
    // i_blocks counts 512-byte sectors unless the inode is a huge file.
    i64 units = inode.has_flag(inode_flag::HUGE_FILE) ? blocks : blocks * (m_geometry.block_size / 512);
    i64 current = i64(inode.raw_blocks());
    inode.set_raw_blocks(u64(current + units < 0 ? 0 : current + units));
}

ErrorOr<void> Ext4FileSystem::release_inode(InodeRecord& inode)
{
    bool directory = inode.is_directory();
    if (has_mapped_blocks(inode))
        TRY(truncate_blocks(*this, inode, 0));
    if (u64 acl = inode.file_acl()) {
        // Drop this inode's reference to its extended attribute block.
        if (is_valid_data_block(acl)) {
            auto handle = TRY(read_block(acl));
            u8* data = handle.data();
            if (load32(data, 0) == XATTR_MAGIC) {
                u32 references = load32(data, XATTR_REFCOUNT);
                if (references > 1) {
                    store32(data, XATTR_REFCOUNT, references - 1);
                    if (m_geometry.has_metadata_csum()) {
                        store32(data, XATTR_CHECKSUM, 0);
                        u8 number[8];
                        store64(number, 0, acl);
                        u32 crc = crc32c(m_geometry.checksum_seed, number, 8);
                        store32(data, XATTR_CHECKSUM, crc32c(crc, data, m_geometry.block_size));
                    }
                    handle.mark_dirty();
                } else {
                    handle.release();
                    TRY(free_blocks(acl, 1));
                }
                add_inode_blocks(inode, -1);
            }
        }
        store32(inode.raw, in::FILE_ACL_LO, 0);
        store16(inode.raw, in::FILE_ACL_HIGH, 0);
    }
    inode.set_links(0);
    inode.set_size(0);
    inode.set_dtime(u32(fs::current_time().seconds));
    TRY(write_inode(inode));
    return free_inode(inode.number, directory);
}

} // namespace ext4
