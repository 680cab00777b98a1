#pragma once

// One inode as the filesystem keeps it in memory: a copy of its on-disk
// record (inode_size bytes) with typed accessors. Changes are made to the
// copy and written back whole (Ext4FileSystem::write_inode), checksum and all.
#include <fs/ext4/Disk.h>
#include <fs/ext4/Layout.h>
#include <fs/vfs/Types.h>

namespace ext4 {

struct InodeRecord {
    static constexpr usize MAX_SIZE = 1024;

    u32 number { 0 };
    u32 size_on_disk { 0 }; // the filesystem's inode size
    u8 raw[MAX_SIZE] {};

    u16 mode() const { return load16(raw, in::MODE); }
    void set_mode(u16 mode) { store16(raw, in::MODE, mode); }
    fs::FileType type() const { return fs::file_type_of(mode()); }
    bool is_directory() const { return type() == fs::FileType::Directory; }
    bool is_symlink() const { return type() == fs::FileType::Symlink; }
    bool is_regular() const { return type() == fs::FileType::Regular; }

    u32 uid() const { return load16(raw, in::UID) | (u32(load16(raw, in::UID_HIGH)) << 16); }
    u32 gid() const { return load16(raw, in::GID) | (u32(load16(raw, in::GID_HIGH)) << 16); }
    void set_uid(u32 uid)
    {
        store16(raw, in::UID, u16(uid));
        store16(raw, in::UID_HIGH, u16(uid >> 16));
    }
    void set_gid(u32 gid)
    {
        store16(raw, in::GID, u16(gid));
        store16(raw, in::GID_HIGH, u16(gid >> 16));
    }

    u64 size() const { return load32(raw, in::SIZE_LO) | (u64(load32(raw, in::SIZE_HIGH)) << 32); }
    void set_size(u64 size)
    {
        store32(raw, in::SIZE_LO, u32(size));
        store32(raw, in::SIZE_HIGH, u32(size >> 32));
    }
    u16 links() const { return load16(raw, in::LINKS_COUNT); }
    void set_links(u16 links) { store16(raw, in::LINKS_COUNT, links); }
    u32 flags() const { return load32(raw, in::FLAGS); }
    void set_flags(u32 flags) { store32(raw, in::FLAGS, flags); }
    bool has_flag(u32 flag) const { return flags() & flag; }
    u32 generation() const { return load32(raw, in::GENERATION); }
    u64 file_acl() const { return load32(raw, in::FILE_ACL_LO) | (u64(load16(raw, in::FILE_ACL_HIGH)) << 32); }
    u32 dtime() const { return load32(raw, in::DTIME); }
    void set_dtime(u32 time) { store32(raw, in::DTIME, time); }

    // i_blocks as stored: 512-byte units, or filesystem blocks with HUGE_FILE.
    u64 raw_blocks() const { return load32(raw, in::BLOCKS_LO) | (u64(load16(raw, in::BLOCKS_HIGH)) << 32); }
    void set_raw_blocks(u64 blocks)
    {
        store32(raw, in::BLOCKS_LO, u32(blocks));
        store16(raw, in::BLOCKS_HIGH, u16(blocks >> 32));
    }

    // i_extra_isize when the record has room for it, else 0.
    u32 extra_size() const
    {
        if (size_on_disk <= GOOD_OLD_INODE_SIZE)
            return 0;
        return load16(raw, in::EXTRA_ISIZE);
    }
    // True if the extra field ending at `end` (an offset) is present.
    bool has_extra_field(usize end) const { return GOOD_OLD_INODE_SIZE + extra_size() >= end; }

    u8* block_area() { return raw + in::BLOCK; }
    const u8* block_area() const { return raw + in::BLOCK; }

    fs::Timespec time(usize seconds_offset, usize extra_offset) const;
    void set_time(usize seconds_offset, usize extra_offset, fs::Timespec time);
};

} // namespace ext4
