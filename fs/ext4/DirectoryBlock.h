#pragma once

// The byte-level pieces of directory blocks that the linear directory code
// (Directory.cpp) and the htree builder (HtreeInsert.cpp) share: entry and
// record lengths, the leaf checksum tail, the htree node checksum tail, and
// reading, sealing and appending directory blocks. Internal to fs/ext4.
#include <fs/ext4/Ext4FileSystem.h>

namespace ext4::directory {

u32 decode_rec_len(u16 value, u32 block_size);
u16 encode_rec_len(u32 length);
// The space an entry with a name of `name_length` bytes needs.
inline u32 entry_size(u32 name_length)
{
    return (dirent::HEADER_SIZE + name_length + 3) & ~3u;
}
// The leaf checksum tail's size: 12 with metadata_csum, else 0.
u32 tail_size(const Ext4FileSystem& fs);
void write_tail(u8* data, u32 block_size);
// Where the entries of a checked block end (before the tail, if any).
u32 entries_end(Ext4FileSystem& fs, const u8* data);
u64 block_count(Ext4FileSystem& fs, const InodeRecord& dir);
void write_entry(u8* data, u32 offset, u32 rec_len, u32 inode, StringView name, u8 type, bool with_type);
// Block `logical` of `dir`, read and checked.
ErrorOr<block::BlockHandle> read_dir_block(Ext4FileSystem& fs, const InodeRecord& dir, u64 logical);
// Updates a leaf block's checksum (if it has a tail) and marks it dirty
// (and still checked: the directory code wrote it).
void seal(Ext4FileSystem& fs, const InodeRecord& dir, block::BlockHandle& handle);
// The checksum of an htree node (root or interior) whose limit/count word
// sits at `count_offset`; stored in the dx tail after `limit` entries.
u32 dx_checksum(Ext4FileSystem& fs, const InodeRecord& dir, const u8* data, usize count_offset);
// A new, zeroed block at the end of `dir` (size grown); its logical number
// goes to `logical`. The caller fills it and seals it.
ErrorOr<block::BlockHandle> append_block(Ext4FileSystem& fs, InodeRecord& dir, u64& logical);
// Puts an entry into block `logical` if it has room; false if not.
ErrorOr<bool> add_in_block(
    Ext4FileSystem& fs, InodeRecord& dir, u64 logical, StringView name, u32 inode, fs::FileType type);
// Removes every index block and INDEX_FL: the directory becomes linear.
ErrorOr<void> remove_index(Ext4FileSystem& fs, InodeRecord& dir);

} // namespace ext4::directory
