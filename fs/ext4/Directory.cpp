// Directory blocks: checking, walking, adding and removing entries.
#include <fs/ext4/Crc.h>
#include <fs/ext4/Directory.h>
#include <fs/ext4/DirectoryBlock.h>
#include <fs/ext4/FileBlocks.h>
#include <fs/ext4/Htree.h>

namespace ext4::directory {

using namespace dirent;

u32 decode_rec_len(u16 value, u32 block_size)
{
    if (block_size >= 65536 && (value == 65535 || value == 0))
        return 65536;
    return value;
}

u16 encode_rec_len(u32 length)
{
    return length >= 65536 ? u16(65535) : u16(length);
}

u32 tail_size(const Ext4FileSystem& fs)
{
    return fs.geometry().has_metadata_csum() ? u32(TAIL_SIZE) : 0u;
}

namespace {

bool has_tail(const u8* data, u32 block_size)
{
    const u8* tail = data + block_size - TAIL_SIZE;
    return load32(tail, INODE) == 0 && load16(tail, REC_LEN) == TAIL_SIZE && load8(tail, NAME_LEN) == 0
        && load8(tail, FILE_TYPE) == TAIL_FILE_TYPE;
}

} // namespace

void write_tail(u8* data, u32 block_size)
{
    u8* tail = data + block_size - TAIL_SIZE;
    fill_bytes(tail, 0, TAIL_SIZE);
    store16(tail, REC_LEN, TAIL_SIZE);
    store8(tail, FILE_TYPE, TAIL_FILE_TYPE);
}

namespace {

u32 leaf_checksum(Ext4FileSystem& fs, const InodeRecord& dir, const u8* data)
{
    return crc32c(fs.inode_checksum_seed(dir), data, fs.geometry().block_size - TAIL_SIZE);
}

// An htree interior node: one empty entry spanning the whole block.
bool is_dx_node(const u8* data, u32 block_size)
{
    return load32(data, INODE) == 0 && decode_rec_len(load16(data, REC_LEN), block_size) == block_size;
}

} // namespace

u32 dx_checksum(Ext4FileSystem& fs, const InodeRecord& dir, const u8* data, usize count_offset)
{
    u32 limit = load16(data, count_offset + dx::LIMIT);
    u32 count = load16(data, count_offset + dx::COUNT);
    usize tail = count_offset + usize(limit) * dx::ENTRY_SIZE;
    u32 crc = crc32c(fs.inode_checksum_seed(dir), data, count_offset + usize(count) * dx::ENTRY_SIZE);
    // The tail's reserved word, then its checksum field as zero.
    u8 zero[4] = {};
    crc = crc32c(crc, data + tail, 4);
    return crc32c(crc, zero, 4);
}

namespace {

ErrorOr<void> verify_dx_checksum(Ext4FileSystem& fs, const InodeRecord& dir, const u8* data, usize count_offset)
{
    u32 block_size = fs.geometry().block_size;
    u32 limit = load16(data, count_offset + dx::LIMIT);
    u32 count = load16(data, count_offset + dx::COUNT);
    usize tail = count_offset + usize(limit) * dx::ENTRY_SIZE;
    if (count > limit || tail + dx::TAIL_SIZE > block_size)
        return Error::from_errno(EUCLEAN);
    if (load32(data, tail + 4) != dx_checksum(fs, dir, data, count_offset))
        return Error::from_errno(EUCLEAN);
    return {};
}

// Checks one directory block: the checksum (leaf tail or htree node) and
// that the entries tile the block with sane lengths.
ErrorOr<void> check_block(Ext4FileSystem& fs, const InodeRecord& dir, const u8* data, u64 logical)
{
    const Geometry& g = fs.geometry();
    u32 block_size = g.block_size;
    u32 limit = block_size;
    if (g.has_metadata_csum()) {
        if (has_tail(data, block_size)) {
            if (load32(data + block_size - TAIL_SIZE, TAIL_CHECKSUM) != leaf_checksum(fs, dir, data))
                return Error::from_errno(EUCLEAN);
            limit = block_size - TAIL_SIZE;
        } else if (dir.has_flag(inode_flag::INDEX)) {
            if (logical == 0)
                TRY(verify_dx_checksum(fs, dir, data, dx::ROOT_INFO + load8(data, dx::ROOT_INFO_LENGTH)));
            else if (is_dx_node(data, block_size))
                TRY(verify_dx_checksum(fs, dir, data, dx::NODE_ENTRIES));
        }
    }
    u32 offset = 0;
    while (offset < limit) {
        if (limit - offset < HEADER_SIZE)
            return Error::from_errno(EUCLEAN);
        u32 rec_len = decode_rec_len(load16(data, offset + REC_LEN), block_size);
        u32 name_length = load8(data, offset + NAME_LEN);
        if (rec_len < HEADER_SIZE + 4 || rec_len % 4 || rec_len > limit - offset || HEADER_SIZE + name_length > rec_len)
            return Error::from_errno(EUCLEAN);
        if (load32(data, offset + INODE) > g.inodes_count)
            return Error::from_errno(EUCLEAN);
        offset += rec_len;
    }
    return {};
}

} // namespace

u32 entries_end(Ext4FileSystem& fs, const u8* data)
{
    u32 block_size = fs.geometry().block_size;
    return fs.geometry().has_metadata_csum() && has_tail(data, block_size) ? block_size - u32(TAIL_SIZE) : block_size;
}

u64 block_count(Ext4FileSystem& fs, const InodeRecord& dir)
{
    return dir.size() / fs.geometry().block_size;
}

ErrorOr<block::BlockHandle> read_dir_block(Ext4FileSystem& fs, const InodeRecord& dir, u64 logical)
{
    MappedBlock mapped = TRY(map_block(fs, dir, logical));
    if (!mapped.physical || mapped.unwritten)
        return Error::from_errno(EUCLEAN); // directories have no holes
    auto handle = TRY(fs.read_block(mapped.physical));
    if (handle.checked_kind() != CHECKED_DIRECTORY_BLOCK) {
        TRY(check_block(fs, dir, handle.data(), logical));
        handle.mark_checked(CHECKED_DIRECTORY_BLOCK);
    }
    return handle;
}

void seal(Ext4FileSystem& fs, const InodeRecord& dir, block::BlockHandle& handle)
{
    u32 block_size = fs.geometry().block_size;
    u8* data = handle.data();
    if (fs.geometry().has_metadata_csum() && has_tail(data, block_size))
        store32(data + block_size - TAIL_SIZE, TAIL_CHECKSUM, leaf_checksum(fs, dir, data));
    handle.mark_dirty();
    // Written by this code with a fresh checksum: the next read need not
    // verify it again (that doubled the checksum work of every create).
    handle.mark_checked(CHECKED_DIRECTORY_BLOCK);
}

namespace {

bool name_equals(const u8* data, u32 offset, StringView name)
{
    u32 length = load8(data, offset + NAME_LEN);
    return length == name.length()
        && equal_bytes(data + offset + NAME, reinterpret_cast<const u8*>(name.characters()), length);
}

} // namespace

void write_entry(u8* data, u32 offset, u32 rec_len, u32 inode, StringView name, u8 type, bool with_type)
{
    store32(data, offset + INODE, inode);
    store16(data, offset + REC_LEN, encode_rec_len(rec_len));
    store8(data, offset + NAME_LEN, u8(name.length()));
    store8(data, offset + FILE_TYPE, with_type ? type : 0);
    copy_bytes(data + offset + NAME, reinterpret_cast<const u8*>(name.characters()), name.length());
    // Zero the padding so the block's bytes are deterministic.
    fill_bytes(data + offset + NAME + name.length(), 0, entry_size(u32(name.length())) - HEADER_SIZE - name.length());
}

ErrorOr<block::BlockHandle> append_block(Ext4FileSystem& fs, InodeRecord& dir, u64& logical)
{
    u64 blocks = block_count(fs, dir);
    u64 goal = 0;
    if (blocks > 0) {
        MappedBlock last = TRY(map_block(fs, dir, blocks - 1));
        goal = last.physical ? last.physical + 1 : 0;
    }
    u64 physical = TRY(allocate_file_block(fs, dir, blocks, goal));
    auto handle = TRY(fs.overwrite_block(physical));
    fill_bytes(handle.data(), 0, fs.geometry().block_size);
    handle.mark_checked(CHECKED_DIRECTORY_BLOCK);
    dir.set_size(dir.size() + fs.geometry().block_size);
    logical = blocks;
    return handle;
}

// The htree blocks become empty leaf blocks and INDEX_FL goes.
ErrorOr<void> remove_index(Ext4FileSystem& fs, InodeRecord& dir)
{
    u32 block_size = fs.geometry().block_size;
    u32 tail = tail_size(fs);
    u64 blocks = block_count(fs, dir);
    for (u64 logical = 0; logical < blocks; ++logical) {
        auto handle = TRY(read_dir_block(fs, dir, logical));
        u8* data = handle.data();
        if (logical == 0) {
            u32 dot_length = decode_rec_len(load16(data, REC_LEN), block_size);
            if (dot_length != 12 || block_size - dot_length < 12 + tail)
                return Error::from_errno(EUCLEAN);
            u32 dotdot_end = dot_length + entry_size(load8(data, dot_length + NAME_LEN));
            fill_bytes(data + dotdot_end, 0, block_size - dotdot_end);
            store16(data, dot_length + REC_LEN, encode_rec_len(block_size - dot_length - tail));
        } else if (is_dx_node(data, block_size)) {
            fill_bytes(data, 0, block_size);
            store16(data, REC_LEN, encode_rec_len(block_size - tail));
        } else {
            continue;
        }
        if (tail)
            write_tail(data, block_size);
        seal(fs, dir, handle);
    }
    dir.set_flags(dir.flags() & ~inode_flag::INDEX);
    return {};
}

u8 file_type_of(fs::FileType type)
{
    switch (type) {
    case fs::FileType::Regular:
        return TYPE_REGULAR;
    case fs::FileType::Directory:
        return TYPE_DIRECTORY;
    case fs::FileType::CharacterDevice:
        return TYPE_CHARDEV;
    case fs::FileType::BlockDevice:
        return TYPE_BLOCKDEV;
    case fs::FileType::Fifo:
        return TYPE_FIFO;
    case fs::FileType::Socket:
        return TYPE_SOCKET;
    case fs::FileType::Symlink:
        return TYPE_SYMLINK;
    default:
        return TYPE_UNKNOWN;
    }
}

fs::FileType file_type_from(u8 file_type)
{
    switch (file_type) {
    case TYPE_REGULAR:
        return fs::FileType::Regular;
    case TYPE_DIRECTORY:
        return fs::FileType::Directory;
    case TYPE_CHARDEV:
        return fs::FileType::CharacterDevice;
    case TYPE_BLOCKDEV:
        return fs::FileType::BlockDevice;
    case TYPE_FIFO:
        return fs::FileType::Fifo;
    case TYPE_SOCKET:
        return fs::FileType::Socket;
    case TYPE_SYMLINK:
        return fs::FileType::Symlink;
    default:
        return fs::FileType::Unknown;
    }
}

ErrorOr<u64> iterate(Ext4FileSystem& fs, const InodeRecord& dir, u64 position, EntryVisitor& visitor)
{
    u32 block_size = fs.geometry().block_size;
    u64 blocks = block_count(fs, dir);
    for (u64 logical = position / block_size; logical < blocks; ++logical) {
        auto handle = TRY(read_dir_block(fs, dir, logical));
        const u8* data = handle.data();
        u32 end = entries_end(fs, data);
        u64 base = logical * block_size;
        for (u32 offset = 0; offset < end;) {
            u32 rec_len = decode_rec_len(load16(data, offset + REC_LEN), block_size);
            u32 inode = load32(data, offset + INODE);
            if (base + offset >= position && inode != 0) {
                Entry entry;
                entry.inode = inode;
                entry.file_type = fs.geometry().has_filetype() ? load8(data, offset + FILE_TYPE) : TYPE_UNKNOWN;
                entry.name = { reinterpret_cast<const char*>(data + offset + NAME), load8(data, offset + NAME_LEN) };
                entry.position = base + offset;
                entry.next_position = base + offset + rec_len;
                if (!visitor.visit(entry))
                    return base + offset;
            }
            offset += rec_len;
        }
    }
    return blocks * block_size;
}

namespace {

bool is_hashed(Ext4FileSystem& fs, const InodeRecord& dir)
{
    return dir.has_flag(inode_flag::INDEX) && fs.geometry().has_compat(compat::DIR_INDEX);
}

// The inode `name` names in block `logical`, or 0.
ErrorOr<u32> search_block(Ext4FileSystem& fs, const InodeRecord& dir, u64 logical, StringView name)
{
    u32 block_size = fs.geometry().block_size;
    auto handle = TRY(read_dir_block(fs, dir, logical));
    const u8* data = handle.data();
    u32 end = entries_end(fs, data);
    for (u32 offset = 0; offset < end;) {
        if (load32(data, offset + INODE) != 0 && name_equals(data, offset, name))
            return load32(data, offset + INODE);
        offset += decode_rec_len(load16(data, offset + REC_LEN), block_size);
    }
    return 0;
}

} // namespace

ErrorOr<bool> add_in_block(
    Ext4FileSystem& fs, InodeRecord& dir, u64 logical, StringView name, u32 inode, fs::FileType type)
{
    u32 block_size = fs.geometry().block_size;
    bool with_type = fs.geometry().has_filetype();
    u32 needed = entry_size(u32(name.length()));
    auto handle = TRY(read_dir_block(fs, dir, logical));
    u8* data = handle.data();
    u32 end = entries_end(fs, data);
    for (u32 offset = 0; offset < end;) {
        u32 rec_len = decode_rec_len(load16(data, offset + REC_LEN), block_size);
        bool live = load32(data, offset + INODE) != 0;
        u32 used = live ? entry_size(load8(data, offset + NAME_LEN)) : 0;
        if (rec_len - used >= needed) {
            if (live) {
                store16(data, offset + REC_LEN, encode_rec_len(used));
                write_entry(data, offset + used, rec_len - used, inode, name, file_type_of(type), with_type);
            } else {
                write_entry(data, offset, rec_len, inode, name, file_type_of(type), with_type);
            }
            seal(fs, dir, handle);
            return true;
        }
        offset += rec_len;
    }
    return false;
}

namespace {

// A linear directory that may get an index: dir_index on, not indexed yet.
bool can_index(Ext4FileSystem& fs, const InodeRecord& dir)
{
    return fs.geometry().has_compat(compat::DIR_INDEX) && !dir.has_flag(inode_flag::INDEX);
}

// The blocks that may hold `name`: its leaves when the directory is hashed
// (false if the index cannot be used), else every block.
struct Candidates {
    htree::Leaves leaves;
    bool hashed;
};

ErrorOr<Candidates> candidate_blocks(Ext4FileSystem& fs, const InodeRecord& dir, StringView name)
{
    Candidates candidates {};
    if (!is_hashed(fs, dir))
        return candidates;
    auto leaves = htree::find_leaves(fs, dir, name);
    if (leaves.is_error()) {
        if (leaves.error().code() != EOPNOTSUPP)
            return leaves.release_error();
        return candidates;
    }
    candidates.leaves = leaves.value();
    candidates.hashed = true;
    return candidates;
}

} // namespace

ErrorOr<block::BlockHandle> read_checked_block(Ext4FileSystem& fs, const InodeRecord& dir, u64 logical)
{
    return read_dir_block(fs, dir, logical);
}

ErrorOr<u32> find(Ext4FileSystem& fs, const InodeRecord& dir, StringView name)
{
    Candidates candidates = TRY(candidate_blocks(fs, dir, name));
    if (candidates.hashed) {
        for (usize i = 0; i < candidates.leaves.count; ++i) {
            u32 inode = TRY(search_block(fs, dir, candidates.leaves.blocks[i], name));
            if (inode)
                return inode;
        }
        return Error::from_errno(ENOENT);
    }
    u64 blocks = block_count(fs, dir);
    for (u64 logical = 0; logical < blocks; ++logical) {
        u32 inode = TRY(search_block(fs, dir, logical, name));
        if (inode)
            return inode;
    }
    return Error::from_errno(ENOENT);
}

ErrorOr<void> add(Ext4FileSystem& fs, InodeRecord& dir, StringView name, u32 inode, fs::FileType type)
{
    if (name.length() == 0 || name.length() > fs::MAX_NAME_LENGTH)
        return Error::from_errno(name.length() ? ENAMETOOLONG : EINVAL);
    if (is_hashed(fs, dir)) {
        // Into the leaf the hash selects, splitting as needed.
        auto inserted = htree::insert(fs, dir, name, inode, type);
        if (inserted.is_error() && inserted.error().code() != EOPNOTSUPP)
            return inserted.release_error();
        if (!inserted.is_error() && inserted.value())
            return {};
    } else if (can_index(fs, dir) && block_count(fs, dir) == 1) {
        // Outgrowing its one block, the directory gets an index.
        if (TRY(add_in_block(fs, dir, 0, name, inode, type)))
            return {};
        if (TRY(htree::make_indexed(fs, dir, name, inode, type)))
            return {};
    }
    // The tree is full or uses something Osprey cannot extend: linear.
    if (dir.has_flag(inode_flag::INDEX))
        TRY(remove_index(fs, dir));
    u32 block_size = fs.geometry().block_size;
    u64 blocks = block_count(fs, dir);
    for (u64 logical = 0; logical < blocks; ++logical) {
        if (TRY(add_in_block(fs, dir, logical, name, inode, type)))
            return {};
    }
    // No room: a new block at the end.
    u64 logical = 0;
    auto handle = TRY(append_block(fs, dir, logical));
    u8* data = handle.data();
    u32 tail = tail_size(fs);
    write_entry(data, 0, block_size - tail, inode, name, file_type_of(type), fs.geometry().has_filetype());
    if (tail)
        write_tail(data, block_size);
    seal(fs, dir, handle);
    return {};
}

ErrorOr<u32> remove(Ext4FileSystem& fs, InodeRecord& dir, StringView name)
{
    u32 block_size = fs.geometry().block_size;
    Candidates candidates = TRY(candidate_blocks(fs, dir, name));
    u64 blocks = candidates.hashed ? candidates.leaves.count : block_count(fs, dir);
    for (u64 i = 0; i < blocks; ++i) {
        u64 logical = candidates.hashed ? candidates.leaves.blocks[i] : i;
        auto handle = TRY(read_dir_block(fs, dir, logical));
        u8* data = handle.data();
        u32 end = entries_end(fs, data);
        u32 previous = end;
        for (u32 offset = 0; offset < end;) {
            u32 rec_len = decode_rec_len(load16(data, offset + REC_LEN), block_size);
            u32 inode = load32(data, offset + INODE);
            if (inode != 0 && name_equals(data, offset, name)) {
                if (previous != end) {
                    u32 merged = decode_rec_len(load16(data, previous + REC_LEN), block_size) + rec_len;
                    store16(data, previous + REC_LEN, encode_rec_len(merged));
                } else {
                    store32(data, offset + INODE, 0);
                }
                seal(fs, dir, handle);
                return inode;
            }
            previous = offset;
            offset += rec_len;
        }
    }
    return Error::from_errno(ENOENT);
}

ErrorOr<void> retarget(Ext4FileSystem& fs, InodeRecord& dir, StringView name, u32 inode, fs::FileType type)
{
    u32 block_size = fs.geometry().block_size;
    Candidates candidates = TRY(candidate_blocks(fs, dir, name));
    u64 blocks = candidates.hashed ? candidates.leaves.count : block_count(fs, dir);
    for (u64 i = 0; i < blocks; ++i) {
        u64 logical = candidates.hashed ? candidates.leaves.blocks[i] : i;
        auto handle = TRY(read_dir_block(fs, dir, logical));
        u8* data = handle.data();
        u32 end = entries_end(fs, data);
        for (u32 offset = 0; offset < end;) {
            if (load32(data, offset + INODE) != 0 && name_equals(data, offset, name)) {
                store32(data, offset + INODE, inode);
                if (fs.geometry().has_filetype())
                    store8(data, offset + FILE_TYPE, file_type_of(type));
                seal(fs, dir, handle);
                return {};
            }
            offset += decode_rec_len(load16(data, offset + REC_LEN), block_size);
        }
    }
    return Error::from_errno(ENOENT);
}

ErrorOr<bool> is_empty(Ext4FileSystem& fs, const InodeRecord& dir)
{
    struct Visitor final : EntryVisitor {
        bool empty { true };
        bool visit(const Entry& entry) override
        {
            if (entry.name == "." || entry.name == "..")
                return true;
            empty = false;
            return false;
        }
    } visitor;
    TRY(iterate(fs, dir, 0, visitor));
    return visitor.empty;
}

ErrorOr<void> initialize(Ext4FileSystem& fs, InodeRecord& dir, u32 parent)
{
    u32 block_size = fs.geometry().block_size;
    bool with_type = fs.geometry().has_filetype();
    u64 physical = TRY(allocate_file_block(fs, dir, 0, 0));
    auto handle = TRY(fs.overwrite_block(physical));
    u8* data = handle.data();
    u32 tail = tail_size(fs);
    write_entry(data, 0, 12, dir.number, ".", TYPE_DIRECTORY, with_type);
    write_entry(data, 12, block_size - 12 - tail, parent, "..", TYPE_DIRECTORY, with_type);
    if (tail)
        write_tail(data, block_size);
    seal(fs, dir, handle);
    dir.set_size(block_size);
    return {};
}

namespace {

// The offset of ".." in block 0 (checked to be the second entry).
ErrorOr<u32> dotdot_offset(Ext4FileSystem& fs, const u8* data)
{
    u32 block_size = fs.geometry().block_size;
    if (!name_equals(data, 0, "."))
        return Error::from_errno(EUCLEAN);
    u32 offset = decode_rec_len(load16(data, REC_LEN), block_size);
    if (offset + HEADER_SIZE + 4 > entries_end(fs, data) || !name_equals(data, offset, ".."))
        return Error::from_errno(EUCLEAN);
    return offset;
}

} // namespace

ErrorOr<u32> parent_of(Ext4FileSystem& fs, const InodeRecord& dir)
{
    auto handle = TRY(read_dir_block(fs, dir, 0));
    u32 offset = TRY(dotdot_offset(fs, handle.data()));
    return load32(handle.data(), offset + INODE);
}

ErrorOr<void> set_parent(Ext4FileSystem& fs, InodeRecord& dir, u32 parent)
{
    auto handle = TRY(read_dir_block(fs, dir, 0));
    u32 offset = TRY(dotdot_offset(fs, handle.data()));
    store32(handle.data(), offset + INODE, parent);
    seal(fs, dir, handle);
    return {};
}

} // namespace ext4::directory
