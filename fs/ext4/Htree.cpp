// Directory name hashes and the htree descent.
#include <fs/ext4/Directory.h>
#include <fs/ext4/FileBlocks.h>
#include <fs/ext4/Htree.h>

namespace ext4::htree {

namespace {

u32 rotate_left(u32 value, int shift)
{
    return (value << shift) | (value >> (32 - shift));
}

// The legacy hash (dx_hack_hash).
u32 legacy_hash(StringView name, bool is_unsigned)
{
    u32 hash0 = 0x12a3fe2d;
    u32 hash1 = 0x37abe8f9;
    for (usize i = 0; i < name.length(); ++i) {
        int c = is_unsigned ? int(u8(name[i])) : int(i8(name[i]));
        u32 hash = hash1 + (hash0 ^ u32(c * 7152373));
        if (hash & 0x80000000u)
            hash -= 0x7fffffff;
        hash1 = hash0;
        hash0 = hash;
    }
    return hash0 << 1;
}

// Packs up to 4*words bytes of the name into words, padded with the length.
void pack_name(const char* text, usize length, u32* out, int words, bool is_unsigned)
{
    u32 pad = u32(length) | (u32(length) << 8);
    pad |= pad << 16;
    u32 value = pad;
    usize count = length > usize(words) * 4 ? usize(words) * 4 : length;
    for (usize i = 0; i < count; ++i) {
        int c = is_unsigned ? int(u8(text[i])) : int(i8(text[i]));
        value = u32(c) + (value << 8);
        if (i % 4 == 3) {
            *out++ = value;
            value = pad;
            --words;
        }
    }
    if (--words >= 0)
        *out++ = value;
    while (--words >= 0)
        *out++ = pad;
}

void half_md4(u32 state[4], const u32 in[8])
{
    u32 a = state[0], b = state[1], c = state[2], d = state[3];
    auto f = [](u32 x, u32 y, u32 z) {
        return z ^ (x & (y ^ z));
    };
    auto g = [](u32 x, u32 y, u32 z) {
        return (x & y) + ((x ^ y) & z);
    };
    auto h = [](u32 x, u32 y, u32 z) {
        return x ^ y ^ z;
    };
    constexpr u32 K2 = 013240474631u;
    constexpr u32 K3 = 015666365641u;
#define OSPREY_MD4_ROUND(fn, w, x, y, z, input, shift) w = rotate_left(w + fn(x, y, z) + (input), shift)
    OSPREY_MD4_ROUND(f, a, b, c, d, in[0], 3);
    OSPREY_MD4_ROUND(f, d, a, b, c, in[1], 7);
    OSPREY_MD4_ROUND(f, c, d, a, b, in[2], 11);
    OSPREY_MD4_ROUND(f, b, c, d, a, in[3], 19);
    OSPREY_MD4_ROUND(f, a, b, c, d, in[4], 3);
    OSPREY_MD4_ROUND(f, d, a, b, c, in[5], 7);
    OSPREY_MD4_ROUND(f, c, d, a, b, in[6], 11);
    OSPREY_MD4_ROUND(f, b, c, d, a, in[7], 19);
    OSPREY_MD4_ROUND(g, a, b, c, d, in[1] + K2, 3);
    OSPREY_MD4_ROUND(g, d, a, b, c, in[3] + K2, 5);
    OSPREY_MD4_ROUND(g, c, d, a, b, in[5] + K2, 9);
    OSPREY_MD4_ROUND(g, b, c, d, a, in[7] + K2, 13);
    OSPREY_MD4_ROUND(g, a, b, c, d, in[0] + K2, 3);
    OSPREY_MD4_ROUND(g, d, a, b, c, in[2] + K2, 5);
    OSPREY_MD4_ROUND(g, c, d, a, b, in[4] + K2, 9);
    OSPREY_MD4_ROUND(g, b, c, d, a, in[6] + K2, 13);
    OSPREY_MD4_ROUND(h, a, b, c, d, in[3] + K3, 3);
    OSPREY_MD4_ROUND(h, d, a, b, c, in[7] + K3, 9);
    OSPREY_MD4_ROUND(h, c, d, a, b, in[2] + K3, 11);
    OSPREY_MD4_ROUND(h, b, c, d, a, in[6] + K3, 15);
    OSPREY_MD4_ROUND(h, a, b, c, d, in[1] + K3, 3);
    OSPREY_MD4_ROUND(h, d, a, b, c, in[5] + K3, 9);
    OSPREY_MD4_ROUND(h, c, d, a, b, in[0] + K3, 11);
    OSPREY_MD4_ROUND(h, b, c, d, a, in[4] + K3, 15);
#undef OSPREY_MD4_ROUND
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
}

void tea(u32 state[4], const u32 in[4])
{
    u32 sum = 0;
    u32 b0 = state[0], b1 = state[1];
    for (int round = 0; round < 16; ++round) {
        sum += 0x9E3779B9u;
        b0 += ((b1 << 4) + in[0]) ^ (b1 + sum) ^ ((b1 >> 5) + in[1]);
        b1 += ((b0 << 4) + in[2]) ^ (b0 + sum) ^ ((b0 >> 5) + in[3]);
    }
    state[0] += b0;
    state[1] += b1;
}

} // namespace

u32 hash_name(u8 version, const u32 seed[4], StringView name)
{
    u32 state[4] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476 };
    if (seed[0] || seed[1] || seed[2] || seed[3]) {
        for (int i = 0; i < 4; ++i)
            state[i] = seed[i];
    }
    bool is_unsigned = version >= UNSIGNED_OFFSET;
    u8 base = u8(is_unsigned ? version - UNSIGNED_OFFSET : version);
    u32 hash = 0;
    if (base == HASH_LEGACY) {
        hash = legacy_hash(name, is_unsigned);
    } else if (base == HASH_HALF_MD4) {
        const char* text = name.characters();
        for (isize left = isize(name.length()); left > 0; left -= 32, text += 32) {
            u32 in[8];
            pack_name(text, usize(left), in, 8, is_unsigned);
            half_md4(state, in);
        }
        hash = state[1];
    } else {
        const char* text = name.characters();
        for (isize left = isize(name.length()); left > 0; left -= 16, text += 16) {
            u32 in[4];
            pack_name(text, usize(left), in, 4, is_unsigned);
            tea(state, in);
        }
        hash = state[0];
    }
    hash &= ~1u;
    if (hash == (0x7fffffffu << 1))
        hash = (0x7fffffffu - 1) << 1;
    return hash;
}

namespace {

ErrorOr<Frame> parse_node(const u8* data, u64 logical, usize count_offset, u32 block_size, bool checksummed)
{
    Frame node { logical, count_offset, load16(data, count_offset + dx::LIMIT), load16(data, count_offset + dx::COUNT),
        0 };
    usize room = (block_size - count_offset) / dx::ENTRY_SIZE - (checksummed ? 1 : 0);
    if (node.count == 0 || node.count > node.limit || node.limit > room)
        return Error::from_errno(EUCLEAN);
    return node;
}

u32 entry_hash(const u8* data, const Frame& node, u32 index)
{
    return index == 0 ? 0 : load32(data, node.count_offset + usize(index) * dx::ENTRY_SIZE);
}

u32 entry_block(const u8* data, const Frame& node, u32 index)
{
    return load32(data, node.count_offset + usize(index) * dx::ENTRY_SIZE + 4);
}

// The last entry whose hash is <= hash (entry 0 covers everything below).
u32 choose(const u8* data, const Frame& node, u32 hash)
{
    u32 low = 1;
    u32 high = node.count;
    while (low < high) {
        u32 middle = low + (high - low) / 2;
        if (entry_hash(data, node, middle) <= hash)
            low = middle + 1;
        else
            high = middle;
    }
    return low - 1;
}

} // namespace

u8 effective_version(const Geometry& g, u8 root_version)
{
    return g.unsigned_hash ? u8(root_version + UNSIGNED_OFFSET) : root_version;
}

ErrorOr<Path> descend(Ext4FileSystem& fs, const InodeRecord& dir, StringView name)
{
    const Geometry& g = fs.geometry();
    u32 block_size = g.block_size;
    u64 blocks = dir.size() / block_size;
    bool checksummed = g.has_metadata_csum();
    auto handle = TRY(directory::read_checked_block(fs, dir, 0));
    const u8* data = handle.data();
    u8 version = load8(data, dx::ROOT_HASH_VERSION);
    u8 info_length = load8(data, dx::ROOT_INFO_LENGTH);
    Path path {};
    path.levels = load8(data, dx::ROOT_INDIRECT_LEVELS);
    path.max_levels = g.has_incompat(incompat::LARGEDIR) ? 2 : 1;
    if (version > HASH_TEA || load32(data, dx::ROOT_INFO) != 0)
        return Error::from_errno(EOPNOTSUPP);
    if (info_length != 8 || path.levels > path.max_levels)
        return Error::from_errno(EUCLEAN);
    path.hash = hash_name(effective_version(g, version), g.hash_seed, name);

    Frame node = TRY(parse_node(data, 0, dx::ROOT_INFO + info_length, block_size, checksummed));
    for (u32 level = 0;; ++level) {
        node.index = choose(data, node, path.hash);
        path.frames[level] = node;
        u64 child = entry_block(data, node, node.index);
        if (child == 0 || child >= blocks)
            return Error::from_errno(EUCLEAN);
        if (level == path.levels) {
            Leaves& leaves = path.leaves;
            leaves.blocks[0] = child;
            leaves.count = 1;
            // A range continued in the next leaves: their hashes have bit 0 set.
            for (u32 next = node.index + 1; next < node.count && leaves.count < MAX_LEAVES; ++next) {
                u32 next_hash = entry_hash(data, node, next);
                if (!(next_hash & 1) || (next_hash & ~1u) != path.hash)
                    break;
                u64 block = entry_block(data, node, next);
                if (block == 0 || block >= blocks)
                    return Error::from_errno(EUCLEAN);
                leaves.blocks[leaves.count++] = block;
            }
            return path;
        }
        handle = TRY(directory::read_checked_block(fs, dir, child));
        data = handle.data();
        if (load32(data, 0) != 0 || load16(data, 4) != (block_size >= 65536 ? 65535 : block_size))
            return Error::from_errno(EUCLEAN);
        node = TRY(parse_node(data, child, dx::NODE_ENTRIES, block_size, checksummed));
    }
}

ErrorOr<Leaves> find_leaves(Ext4FileSystem& fs, const InodeRecord& dir, StringView name)
{
    Path path = TRY(descend(fs, dir, name));
    return path.leaves;
}

} // namespace ext4::htree
