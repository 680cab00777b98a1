// The extent tree: a B-tree whose root (header plus four entries) lives in
// i_block and whose other nodes are whole blocks ending in a checksum. Index
// entries name the first logical block their child covers; leaf entries map
// up to 32768 blocks each (more means "unwritten", with 32768 subtracted).
//
// Every node is checked (magic, counts against the node's room, depth, the
// block checksum) before use, and every block number against the filesystem.
#include <fs/ext4/Crc.h>
#include <fs/ext4/FileBlocks.h>

namespace ext4::extents {

namespace {

using namespace extent;

constexpr usize ROOT_SIZE = in::BLOCK_SIZE;
constexpr u32 MAX_RESTRUCTURES = 32;

u8* entry(u8* node, u32 index)
{
    return node + HEADER_SIZE + usize(index) * ENTRY_SIZE;
}
const u8* entry(const u8* node, u32 index)
{
    return node + HEADER_SIZE + usize(index) * ENTRY_SIZE;
}
u16 entry_count(const u8* node)
{
    return load16(node, H_ENTRIES);
}
u16 max_entries(const u8* node)
{
    return load16(node, H_MAX);
}
u16 node_depth(const u8* node)
{
    return load16(node, H_DEPTH);
}
u32 key(const u8* e)
{
    return load32(e, E_BLOCK);
}
u64 leaf_start(const u8* e)
{
    return load32(e, E_START_LO) | (u64(load16(e, E_START_HI)) << 32);
}
void set_leaf_start(u8* e, u64 block)
{
    store32(e, E_START_LO, u32(block));
    store16(e, E_START_HI, u16(block >> 32));
}
u32 leaf_length(const u8* e)
{
    u16 length = load16(e, E_LEN);
    return length > MAX_INIT_LEN ? length - MAX_INIT_LEN : length;
}
bool leaf_unwritten(const u8* e)
{
    return load16(e, E_LEN) > MAX_INIT_LEN;
}
void set_leaf_length(u8* e, u32 length, bool unwritten)
{
    store16(e, E_LEN, u16(unwritten ? length + MAX_INIT_LEN : length));
}
u64 index_child(const u8* e)
{
    return load32(e, I_LEAF_LO) | (u64(load16(e, I_LEAF_HI)) << 32);
}
void set_index_child(u8* e, u64 block)
{
    store32(e, I_LEAF_LO, u32(block));
    store16(e, I_LEAF_HI, u16(block >> 32));
    store16(e, I_LEAF_HI + 2, 0);
}

u16 block_node_capacity(u32 block_size)
{
    return u16((block_size - HEADER_SIZE) / ENTRY_SIZE);
}

void write_header(u8* node, u16 entries, u16 max, u16 depth)
{
    store16(node, H_MAGIC, extent::MAGIC);
    store16(node, H_ENTRIES, entries);
    store16(node, H_MAX, max);
    store16(node, H_DEPTH, depth);
    store32(node, H_GENERATION, 0);
}

// A node is sane if its counts fit the room it has.
bool node_is_valid(const u8* node, usize size, u16 depth)
{
    if (load16(node, H_MAGIC) != extent::MAGIC || node_depth(node) != depth)
        return false;
    usize room = (size - HEADER_SIZE) / ENTRY_SIZE;
    return max_entries(node) <= room && entry_count(node) <= max_entries(node);
}

u32 node_checksum(Ext4FileSystem& fs, const InodeRecord& inode, const u8* node)
{
    return crc32c(fs.inode_checksum_seed(inode), node, HEADER_SIZE + usize(max_entries(node)) * ENTRY_SIZE);
}

void seal_block_node(Ext4FileSystem& fs, const InodeRecord& inode, block::BlockHandle& handle)
{
    u8* node = handle.data();
    if (fs.geometry().has_metadata_csum())
        store32(node, HEADER_SIZE + usize(max_entries(node)) * ENTRY_SIZE, node_checksum(fs, inode, node));
    handle.mark_dirty();
}

ErrorOr<block::BlockHandle> read_node(Ext4FileSystem& fs, const InodeRecord& inode, u64 block, u16 depth)
{
    if (!fs.is_valid_data_block(block))
        return Error::from_errno(EUCLEAN);
    auto handle = TRY(fs.read_block(block));
    if (handle.checked_kind() == CHECKED_EXTENT_NODE && node_depth(handle.data()) == depth)
        return handle;
    const u8* node = handle.data();
    u32 size = fs.geometry().block_size;
    // The checksum sits right after the max entries, so they must leave room.
    if (!node_is_valid(node, size - 4, depth))
        return Error::from_errno(EUCLEAN);
    if (fs.geometry().has_metadata_csum()
        && load32(node, HEADER_SIZE + usize(max_entries(node)) * ENTRY_SIZE) != node_checksum(fs, inode, node))
        return Error::from_errno(EUCLEAN);
    handle.mark_checked(CHECKED_EXTENT_NODE);
    return handle;
}

// The root's depth, checked.
ErrorOr<u16> root_depth(const InodeRecord& inode)
{
    const u8* root = inode.block_area();
    u16 depth = node_depth(root);
    if (depth > MAX_DEPTH || !node_is_valid(root, ROOT_SIZE, depth))
        return Error::from_errno(EUCLEAN);
    return depth;
}

// The entry of an index node whose subtree covers `logical`: the last one
// with key <= logical, or the first one (logical lies before every key).
u32 choose_index(const u8* node, u64 logical)
{
    u32 count = entry_count(node);
    u32 chosen = 0;
    for (u32 i = 1; i < count; ++i) {
        if (key(entry(node, i)) <= logical)
            chosen = i;
        else
            break;
    }
    return chosen;
}

// One step of a walk from the root to a leaf.
struct Level {
    u8* node { nullptr };
    usize size { 0 };
    block::BlockHandle handle; // empty for the root
    u32 index { 0 };           // the entry followed (index levels)
};

struct Path {
    Level levels[MAX_DEPTH + 1];
    u16 depth { 0 }; // levels[depth] is the leaf
};

ErrorOr<void> walk(Ext4FileSystem& fs, InodeRecord& inode, u64 logical, Path& path)
{
    path.depth = TRY(root_depth(inode));
    path.levels[0].node = inode.block_area();
    path.levels[0].size = ROOT_SIZE;
    path.levels[0].handle.release();
    for (u16 level = 0; level < path.depth; ++level) {
        Level& current = path.levels[level];
        if (entry_count(current.node) == 0)
            return Error::from_errno(EUCLEAN);
        current.index = choose_index(current.node, logical);
        u64 child = index_child(entry(current.node, current.index));
        Level& next = path.levels[level + 1];
        next.handle = TRY(read_node(fs, inode, child, u16(path.depth - level - 1)));
        next.node = next.handle.data();
        next.size = fs.geometry().block_size;
    }
    return {};
}

// Writes back the node at `level` (the root is written with the inode).
void store_level(Ext4FileSystem& fs, const InodeRecord& inode, Level& level)
{
    if (level.handle.is_valid())
        seal_block_node(fs, inode, level.handle);
}

// After the first key of the node at `level` changed, carries it up.
void propagate_first_key(Ext4FileSystem& fs, const InodeRecord& inode, Path& path, u16 level)
{
    while (level > 0) {
        Level& parent = path.levels[level - 1];
        store32(entry(parent.node, parent.index), I_BLOCK, key(entry(path.levels[level].node, 0)));
        store_level(fs, inode, parent);
        if (parent.index != 0)
            return;
        --level;
    }
}

// Makes room in the full node at `level`: the root moves its entries into a
// new block and becomes an index over it (the tree grows a level); another
// node splits in two, which needs room in its parent first (then the caller
// walks again).
ErrorOr<void> make_room(Ext4FileSystem& fs, InodeRecord& inode, Path& path, u16 level, u64 logical)
{
    u32 block_size = fs.geometry().block_size;
    Level& current = path.levels[level];
    if (level == 0) {
        if (path.depth >= MAX_DEPTH)
            return Error::from_errno(EFBIG);
        u64 block = TRY(fs.allocate_block(0));
        auto handle = TRY(fs.overwrite_block(block));
        u8* node = handle.data();
        u16 count = entry_count(current.node);
        write_header(node, count, block_node_capacity(block_size), path.depth);
        copy_bytes(entry(node, 0), entry(current.node, 0), usize(count) * ENTRY_SIZE);
        seal_block_node(fs, inode, handle);
        u32 first_key = count ? key(entry(current.node, 0)) : u32(logical);
        write_header(current.node, 1, max_entries(current.node), u16(path.depth + 1));
        fill_bytes(entry(current.node, 0), 0, ENTRY_SIZE);
        store32(entry(current.node, 0), I_BLOCK, first_key);
        set_index_child(entry(current.node, 0), block);
        fs.add_inode_blocks(inode, 1);
        return {};
    }
    Level& parent = path.levels[level - 1];
    if (entry_count(parent.node) >= max_entries(parent.node))
        return make_room(fs, inode, path, u16(level - 1), logical);

    u16 count = entry_count(current.node);
    // Appending past the last key moves only the last entry, so a file
    // written in order fills its leaves; otherwise split in half.
    u16 keep = logical > key(entry(current.node, count - 1)) ? u16(count - 1) : u16(count / 2);
    if (keep == 0)
        keep = 1;
    u64 block = TRY(fs.allocate_block(current.handle.block() + 1));
    auto handle = TRY(fs.overwrite_block(block));
    u8* node = handle.data();
    u16 moved = u16(count - keep);
    write_header(node, moved, block_node_capacity(block_size), node_depth(current.node));
    copy_bytes(entry(node, 0), entry(current.node, keep), usize(moved) * ENTRY_SIZE);
    seal_block_node(fs, inode, handle);
    store16(current.node, H_ENTRIES, keep);
    store_level(fs, inode, current);

    // The new node's index entry goes right after the split node's.
    u32 position = parent.index + 1;
    u16 parent_count = entry_count(parent.node);
    copy_bytes(
        entry(parent.node, position + 1), entry(parent.node, position), usize(parent_count - position) * ENTRY_SIZE);
    fill_bytes(entry(parent.node, position), 0, ENTRY_SIZE);
    store32(entry(parent.node, position), I_BLOCK, key(entry(node, 0)));
    set_index_child(entry(parent.node, position), block);
    store16(parent.node, H_ENTRIES, u16(parent_count + 1));
    store_level(fs, inode, parent);
    fs.add_inode_blocks(inode, 1);
    return {};
}

ErrorOr<bool> try_insert(Ext4FileSystem& fs, InodeRecord& inode, u64 logical, u64 physical)
{
    Path path;
    TRY(walk(fs, inode, logical, path));
    Level& leaf = path.levels[path.depth];
    u8* node = leaf.node;
    u16 count = entry_count(node);
    u32 position = 0;
    while (position < count && key(entry(node, position)) <= logical)
        ++position;
    if (position > 0) {
        u8* previous = entry(node, position - 1);
        u32 length = leaf_length(previous);
        if (u64(key(previous)) + length > logical)
            return Error::from_errno(EEXIST); // already mapped: a caller bug or corruption
        if (u64(key(previous)) + length == logical && leaf_start(previous) + length == physical
            && !leaf_unwritten(previous) && length < MAX_INIT_LEN) {
            set_leaf_length(previous, length + 1, false);
            store_level(fs, inode, leaf);
            return true;
        }
    }
    if (position < count) {
        u8* next = entry(node, position);
        u32 length = leaf_length(next);
        if (logical + 1 == key(next) && physical + 1 == leaf_start(next) && !leaf_unwritten(next)
            && length < MAX_INIT_LEN) {
            store32(next, E_BLOCK, u32(logical));
            set_leaf_start(next, physical);
            set_leaf_length(next, length + 1, false);
            store_level(fs, inode, leaf);
            if (position == 0)
                propagate_first_key(fs, inode, path, path.depth);
            return true;
        }
    }
    if (count >= max_entries(node)) {
        TRY(make_room(fs, inode, path, path.depth, logical));
        return false;
    }
    copy_bytes(entry(node, position + 1), entry(node, position), usize(count - position) * ENTRY_SIZE);
    u8* fresh = entry(node, position);
    store32(fresh, E_BLOCK, u32(logical));
    set_leaf_length(fresh, 1, false);
    set_leaf_start(fresh, physical);
    store16(node, H_ENTRIES, u16(count + 1));
    store_level(fs, inode, leaf);
    if (position == 0)
        propagate_first_key(fs, inode, path, path.depth);
    return true;
}

// Frees the part of the subtree in `node` at or after `first`; returns true
// if the node is left empty.
ErrorOr<bool> truncate_node(Ext4FileSystem& fs, InodeRecord& inode, u8* node, u16 depth, u64 first)
{
    u16 count = entry_count(node);
    while (count > 0) {
        u8* e = entry(node, count - 1);
        u64 start = key(e);
        if (depth == 0) {
            u32 length = leaf_length(e);
            if (start >= first) {
                if (length)
                    TRY(fs.free_blocks(leaf_start(e), length));
                fs.add_inode_blocks(inode, -i64(length));
                --count;
                store16(node, H_ENTRIES, count);
                continue;
            }
            if (start + length > first) {
                u32 keep = u32(first - start);
                TRY(fs.free_blocks(leaf_start(e) + keep, length - keep));
                fs.add_inode_blocks(inode, -i64(length - keep));
                set_leaf_length(e, keep, leaf_unwritten(e));
            }
            break;
        }
        u64 child = index_child(e);
        auto handle = TRY(read_node(fs, inode, child, u16(depth - 1)));
        bool empty = TRY(truncate_node(fs, inode, handle.data(), u16(depth - 1), first));
        if (empty) {
            handle.release();
            TRY(fs.free_blocks(child, 1));
            fs.add_inode_blocks(inode, -1);
            --count;
            store16(node, H_ENTRIES, count);
        } else {
            seal_block_node(fs, inode, handle);
        }
        if (start < first)
            break;
    }
    return count == 0;
}

} // namespace

void initialize_root(InodeRecord& inode)
{
    write_header(inode.block_area(), 0, u16((ROOT_SIZE - HEADER_SIZE) / ENTRY_SIZE), 0);
}

ErrorOr<MappedBlock> map(Ext4FileSystem& fs, const InodeRecord& inode, u64 logical)
{
    u16 depth = TRY(root_depth(inode));
    const u8* node = inode.block_area();
    block::BlockHandle handle;
    for (u16 level = depth; level > 0; --level) {
        u16 count = entry_count(node);
        if (count == 0)
            return Error::from_errno(EUCLEAN);
        u32 chosen = choose_index(node, logical);
        if (logical < key(entry(node, chosen)))
            return MappedBlock { 0, false, key(entry(node, chosen)) - logical };
        u64 child = index_child(entry(node, chosen));
        handle = TRY(read_node(fs, inode, child, u16(level - 1)));
        node = handle.data();
    }
    u16 count = entry_count(node);
    for (u32 i = 0; i < count; ++i) {
        const u8* e = entry(node, i);
        u64 start = key(e);
        if (logical < start)
            return MappedBlock { 0, false, start - logical };
        u32 length = leaf_length(e);
        if (logical < start + length) {
            u64 physical = leaf_start(e);
            if (!fs.is_valid_data_block(physical, length))
                return Error::from_errno(EUCLEAN);
            return MappedBlock { physical + (logical - start), leaf_unwritten(e), start + length - logical };
        }
    }
    return MappedBlock { 0, false, (u64(1) << 32) - logical };
}

ErrorOr<void> insert(Ext4FileSystem& fs, InodeRecord& inode, u64 logical, u64 physical)
{
    for (u32 attempt = 0; attempt < MAX_RESTRUCTURES; ++attempt) {
        if (TRY(try_insert(fs, inode, logical, physical)))
            return {};
    }
    return Error::from_errno(EUCLEAN);
}

ErrorOr<void> convert_unwritten(Ext4FileSystem& fs, InodeRecord& inode, u64 logical)
{
    Path path;
    TRY(walk(fs, inode, logical, path));
    Level& leaf = path.levels[path.depth];
    u16 count = entry_count(leaf.node);
    for (u32 i = 0; i < count; ++i) {
        u8* e = entry(leaf.node, i);
        u32 length = leaf_length(e);
        if (logical < key(e) || logical >= u64(key(e)) + length)
            continue;
        if (!leaf_unwritten(e))
            return {};
        u64 physical = leaf_start(e);
        if (!fs.is_valid_data_block(physical, length))
            return Error::from_errno(EUCLEAN);
        for (u32 b = 0; b < length; ++b) {
            auto handle = TRY(fs.overwrite_block(physical + b));
        }
        set_leaf_length(e, length, false);
        store_level(fs, inode, leaf);
        return {};
    }
    return {};
}

ErrorOr<void> truncate(Ext4FileSystem& fs, InodeRecord& inode, u64 first)
{
    u16 depth = TRY(root_depth(inode));
    u8* root = inode.block_area();
    bool empty = TRY(truncate_node(fs, inode, root, depth, first));
    if (empty && depth > 0)
        write_header(root, 0, max_entries(root), 0);
    return {};
}

} // namespace ext4::extents
