// Growing hashed directories: indexing a full one-block directory, splitting
// full leaves by hash and full index nodes, and adding a level under the
// root. New blocks always go at the end of the directory and entries that
// stay are never moved, so readdir positions (byte offsets) of the entries
// that stay remain valid (Directory.h).
#include <fs/ext4/Directory.h>
#include <fs/ext4/DirectoryBlock.h>
#include <fs/ext4/Htree.h>
#include <kernel/lib/Vector.h>

namespace ext4::htree {

namespace {

using namespace dirent;

// A live entry of a leaf that is being split.
struct LeafEntry {
    u32 hash;
    u32 offset;
    u32 size; // entry_size of its name
};

// Shell sort by (key, offset): blocks hold at most a few thousand entries.
template<typename Less>
void sort_entries(lib::Vector<LeafEntry>& entries, Less less)
{
    usize count = entries.size();
    for (usize gap = count / 2; gap > 0; gap /= 2) {
        for (usize i = gap; i < count; ++i) {
            LeafEntry moving = entries[i];
            usize j = i;
            for (; j >= gap && less(moving, entries[j - gap]); j -= gap)
                entries[j] = entries[j - gap];
            entries[j] = moving;
        }
    }
}

u32 node_limit(const Ext4FileSystem& fs, usize count_offset)
{
    u32 room = u32((fs.geometry().block_size - count_offset) / dx::ENTRY_SIZE);
    return fs.geometry().has_metadata_csum() ? room - 1 : room;
}

u32 hash_at(const u8* data, usize count_offset, u32 index)
{
    return load32(data, count_offset + usize(index) * dx::ENTRY_SIZE);
}

u32 block_at(const u8* data, usize count_offset, u32 index)
{
    return load32(data, count_offset + usize(index) * dx::ENTRY_SIZE + 4);
}

void set_entry(u8* data, usize count_offset, u32 index, u32 hash, u32 block)
{
    usize at = count_offset + usize(index) * dx::ENTRY_SIZE;
    if (index != 0)
        store32(data, at, hash);
    store32(data, at + 4, block);
}

// Updates an index node's dx tail (metadata_csum) and marks it dirty.
void seal_node(Ext4FileSystem& fs, const InodeRecord& dir, block::BlockHandle& handle, usize count_offset)
{
    u8* data = handle.data();
    if (fs.geometry().has_metadata_csum()) {
        usize tail = count_offset + usize(load16(data, count_offset + dx::LIMIT)) * dx::ENTRY_SIZE;
        store32(data, tail, 0);
        store32(data, tail + 4, directory::dx_checksum(fs, dir, data, count_offset));
    }
    handle.mark_dirty();
    handle.mark_checked(CHECKED_DIRECTORY_BLOCK);
}

// Inserts (hash, block) after entry `after` of the node in `frame` (it has room).
ErrorOr<void> insert_index_entry(
    Ext4FileSystem& fs, const InodeRecord& dir, const Frame& frame, u32 after, u32 hash, u64 block)
{
    auto handle = TRY(directory::read_checked_block(fs, dir, frame.logical));
    u8* data = handle.data();
    usize at = frame.count_offset;
    u32 count = load16(data, at + dx::COUNT);
    if (count >= load16(data, at + dx::LIMIT) || after >= count)
        return Error::from_errno(EUCLEAN);
    for (u32 index = count; index > after + 1; --index)
        set_entry(data, at, index, hash_at(data, at, index - 1), block_at(data, at, index - 1));
    set_entry(data, at, after + 1, hash, u32(block));
    store16(data, at + dx::COUNT, u16(count + 1));
    seal_node(fs, dir, handle, at);
    return {};
}

// Turns a freshly appended block into an empty interior node.
void format_node(Ext4FileSystem& fs, u8* data)
{
    u32 block_size = fs.geometry().block_size;
    store32(data, INODE, 0);
    store16(data, REC_LEN, directory::encode_rec_len(block_size));
    store16(data, dx::NODE_ENTRIES + dx::LIMIT, u16(node_limit(fs, dx::NODE_ENTRIES)));
    store16(data, dx::NODE_ENTRIES + dx::COUNT, 0);
}

// A full root gets one level deeper: its entries move into a new node that
// becomes the root's only child.
ErrorOr<void> add_level(Ext4FileSystem& fs, InodeRecord& dir, const Path& path)
{
    const Frame& root = path.frames[0];
    u64 logical = 0;
    auto node = TRY(directory::append_block(fs, dir, logical));
    auto root_handle = TRY(directory::read_checked_block(fs, dir, 0));
    u8* root_data = root_handle.data();
    u8* node_data = node.data();
    format_node(fs, node_data);
    copy_bytes(
        node_data + dx::NODE_ENTRIES + 4, root_data + root.count_offset + 4, usize(root.count) * dx::ENTRY_SIZE - 4);
    store16(node_data, dx::NODE_ENTRIES + dx::COUNT, u16(root.count));
    seal_node(fs, dir, node, dx::NODE_ENTRIES);

    store16(root_data, root.count_offset + dx::COUNT, 1);
    set_entry(root_data, root.count_offset, 0, 0, u32(logical));
    store8(root_data, dx::ROOT_INDIRECT_LEVELS, u8(path.levels + 1));
    seal_node(fs, dir, root_handle, root.count_offset);
    return {};
}

// Splits the full node in path.frames[level] (not the root) in two; its
// parent has room for the new node's entry.
ErrorOr<void> split_node(Ext4FileSystem& fs, InodeRecord& dir, const Path& path, u32 level)
{
    const Frame& frame = path.frames[level];
    const Frame& parent = path.frames[level - 1];
    u64 logical = 0;
    auto fresh = TRY(directory::append_block(fs, dir, logical));
    auto handle = TRY(directory::read_checked_block(fs, dir, frame.logical));
    u8* data = handle.data();
    usize at = frame.count_offset;
    u32 count = load16(data, at + dx::COUNT);
    if (count < 2)
        return Error::from_errno(EUCLEAN);
    // Split where the upper half does not start inside a continued range,
    // so that a hash's leaves stay in one node (lookups follow them there).
    u32 split = count / 2;
    for (u32 distance = 0; distance < count; ++distance) {
        u32 up = count / 2 + distance;
        u32 down = count / 2 - distance;
        if (up < count && !(hash_at(data, at, up) & 1)) {
            split = up;
            break;
        }
        if (down >= 1 && down <= count / 2 && !(hash_at(data, at, down) & 1)) {
            split = down;
            break;
        }
    }
    u32 split_hash = hash_at(data, at, split);
    u8* fresh_data = fresh.data();
    format_node(fs, fresh_data);
    copy_bytes(fresh_data + dx::NODE_ENTRIES + 4, data + at + usize(split) * dx::ENTRY_SIZE + 4,
        usize(count - split) * dx::ENTRY_SIZE - 4);
    store16(fresh_data, dx::NODE_ENTRIES + dx::COUNT, u16(count - split));
    seal_node(fs, dir, fresh, dx::NODE_ENTRIES);
    store16(data, at + dx::COUNT, u16(split));
    seal_node(fs, dir, handle, at);
    return insert_index_entry(fs, dir, parent, parent.index, split_hash, logical);
}

// Makes room in the node that points at the path's leaf: splits the lowest
// full node under one with room, or adds a level when every node up to the
// root is full. False when the tree already has as many levels as allowed.
ErrorOr<bool> grow_index(Ext4FileSystem& fs, InodeRecord& dir, const Path& path)
{
    int level = path.levels;
    while (level >= 0 && path.frames[level].count >= path.frames[level].limit)
        --level;
    if (level >= 0) {
        TRY(split_node(fs, dir, path, u32(level + 1)));
        return true;
    }
    if (path.levels >= path.max_levels)
        return false;
    TRY(add_level(fs, dir, path));
    return true;
}

// The live entries of leaf `data` with their hashes.
ErrorOr<void> collect_entries(Ext4FileSystem& fs, const u8* data, u32 start, u8 version, lib::Vector<LeafEntry>& out)
{
    const Geometry& g = fs.geometry();
    u32 end = directory::entries_end(fs, data);
    for (u32 offset = start; offset < end;) {
        u32 rec_len = directory::decode_rec_len(load16(data, offset + REC_LEN), g.block_size);
        if (load32(data, offset + INODE) != 0) {
            u32 length = load8(data, offset + NAME_LEN);
            StringView name { reinterpret_cast<const char*>(data + offset + NAME), length };
            TRY(out.try_append({ hash_name(version, g.hash_seed, name), offset, directory::entry_size(length) }));
        }
        offset += rec_len;
    }
    return {};
}

// Copies `entries` from `source` packed into the empty block `target`.
void pack_entries(Ext4FileSystem& fs, const u8* source, u8* target, const LeafEntry* entries, usize count)
{
    u32 block_size = fs.geometry().block_size;
    u32 end = block_size - directory::tail_size(fs);
    u32 offset = 0;
    for (usize i = 0; i < count; ++i) {
        copy_bytes(target + offset, source + entries[i].offset, entries[i].size);
        u32 rec_len = i + 1 == count ? end - offset : entries[i].size;
        store16(target, offset + REC_LEN, directory::encode_rec_len(rec_len));
        offset += entries[i].size;
    }
    if (count == 0)
        store16(target, REC_LEN, directory::encode_rec_len(end));
    if (directory::tail_size(fs))
        directory::write_tail(target, block_size);
}

// Splits the path's full leaf: the upper half by hash (about half of the
// used bytes) moves to a new leaf at the end of the directory. Entries that
// stay keep their offsets: each moved entry's space joins the entry before
// it. False when the leaf holds fewer than two entries.
ErrorOr<bool> split_leaf(Ext4FileSystem& fs, InodeRecord& dir, const Path& path)
{
    const Frame& bottom = path.frames[path.levels];
    u64 leaf = path.leaves.blocks[0];
    lib::Vector<LeafEntry> entries;
    {
        auto handle = TRY(directory::read_checked_block(fs, dir, leaf));
        auto root = TRY(directory::read_checked_block(fs, dir, 0));
        u8 version = effective_version(fs.geometry(), load8(root.data(), dx::ROOT_HASH_VERSION));
        TRY(collect_entries(fs, handle.data(), 0, version, entries));
    }
    usize count = entries.size();
    if (count < 2)
        return false;
    sort_entries(entries, [](const LeafEntry& a, const LeafEntry& b) {
        return a.hash < b.hash || (a.hash == b.hash && a.offset < b.offset);
    });
    u32 total = 0;
    for (usize i = 0; i < count; ++i)
        total += entries[i].size;
    usize split = count;
    for (u32 moved = 0; split > 1 && moved < total / 2;)
        moved += entries[--split].size;
    u32 split_hash = entries[split].hash;
    bool continued = entries[split - 1].hash == split_hash;

    u64 logical = 0;
    auto fresh = TRY(directory::append_block(fs, dir, logical));
    auto handle = TRY(directory::read_checked_block(fs, dir, leaf));
    u8* data = handle.data();
    pack_entries(fs, data, fresh.data(), &entries[split], count - split);
    directory::seal(fs, dir, fresh);

    // Take the moved entries out of the old leaf, in block order.
    lib::Vector<LeafEntry> moved;
    for (usize i = split; i < count; ++i)
        TRY(moved.try_append(entries[i]));
    sort_entries(moved, [](const LeafEntry& a, const LeafEntry& b) { return a.offset < b.offset; });
    u32 block_size = fs.geometry().block_size;
    u32 end = directory::entries_end(fs, data);
    usize next_moved = 0;
    u32 previous = end;
    for (u32 offset = 0; offset < end;) {
        u32 rec_len = directory::decode_rec_len(load16(data, offset + REC_LEN), block_size);
        if (next_moved < moved.size() && moved[next_moved].offset == offset) {
            ++next_moved;
            if (previous != end) {
                u32 merged = directory::decode_rec_len(load16(data, previous + REC_LEN), block_size) + rec_len;
                store16(data, previous + REC_LEN, directory::encode_rec_len(merged));
                offset += rec_len;
                continue;
            }
            store32(data, offset + INODE, 0);
        }
        previous = offset;
        offset += rec_len;
    }
    directory::seal(fs, dir, handle);
    TRY(insert_index_entry(fs, dir, bottom, bottom.index, split_hash | (continued ? 1 : 0), logical));
    return true;
}

} // namespace

ErrorOr<bool> insert(Ext4FileSystem& fs, InodeRecord& dir, StringView name, u32 inode, fs::FileType type)
{
    // Each round either adds the name or changes the tree by one split.
    for (int round = 0; round < 12; ++round) {
        Path path = TRY(descend(fs, dir, name));
        if (TRY(directory::add_in_block(fs, dir, path.leaves.blocks[0], name, inode, type)))
            return true;
        const Frame& bottom = path.frames[path.levels];
        if (bottom.count >= bottom.limit) {
            if (!TRY(grow_index(fs, dir, path)))
                return false;
            continue;
        }
        if (!TRY(split_leaf(fs, dir, path)))
            return false;
    }
    return false;
}

ErrorOr<bool> make_indexed(Ext4FileSystem& fs, InodeRecord& dir, StringView name, u32 inode, fs::FileType type)
{
    const Geometry& g = fs.geometry();
    u32 block_size = g.block_size;
    if (g.default_hash_version > HASH_TEA || directory::block_count(fs, dir) != 1)
        return false;
    auto root = TRY(directory::read_checked_block(fs, dir, 0));
    u8* data = root.data();
    // "." (12 bytes) then "..": the root keeps both, ".." spanning the block.
    if (directory::decode_rec_len(load16(data, REC_LEN), block_size) != 12 || load8(data, NAME_LEN) != 1
        || load8(data, 12 + NAME_LEN) != 2)
        return false;
    u32 dotdot_length = directory::decode_rec_len(load16(data, 12 + REC_LEN), block_size);
    if (dotdot_length < 12 || 12 + dotdot_length > directory::entries_end(fs, data))
        return false;
    lib::Vector<LeafEntry> entries;
    TRY(collect_entries(fs, data, 12 + dotdot_length, effective_version(g, g.default_hash_version), entries));

    u64 logical = 0;
    auto leaf = TRY(directory::append_block(fs, dir, logical));
    pack_entries(fs, data, leaf.data(), entries.data(), entries.size());
    directory::seal(fs, dir, leaf);

    store16(data, 12 + REC_LEN, directory::encode_rec_len(block_size - 12));
    fill_bytes(data + dx::ROOT_INFO, 0, block_size - dx::ROOT_INFO);
    store8(data, dx::ROOT_HASH_VERSION, g.default_hash_version);
    store8(data, dx::ROOT_INFO_LENGTH, 8);
    store8(data, dx::ROOT_INDIRECT_LEVELS, 0);
    store16(data, dx::ROOT_ENTRIES + dx::LIMIT, u16(node_limit(fs, dx::ROOT_ENTRIES)));
    store16(data, dx::ROOT_ENTRIES + dx::COUNT, 1);
    set_entry(data, dx::ROOT_ENTRIES, 0, 0, u32(logical));
    dir.set_flags(dir.flags() | inode_flag::INDEX);
    seal_node(fs, dir, root, dx::ROOT_ENTRIES);
    return insert(fs, dir, name, inode, type);
}

} // namespace ext4::htree
