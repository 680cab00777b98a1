// jbd2 recovery, in the three passes Linux uses: find where the log ends
// (the last transaction with a valid commit block), collect revoke records,
// then copy each logged block to its home unless a later transaction of the
// log revoked it. The journal is big-endian.
#include <fs/ext4/Crc.h>
#include <fs/ext4/FileBlocks.h>
#include <fs/ext4/Journal.h>

namespace ext4 {

namespace {

constexpr u32 JBD2_MAGIC = 0xC03B3998;
constexpr u32 BLOCK_DESCRIPTOR = 1;
constexpr u32 BLOCK_COMMIT = 2;
constexpr u32 BLOCK_SUPERBLOCK_V1 = 3;
constexpr u32 BLOCK_SUPERBLOCK_V2 = 4;
constexpr u32 BLOCK_REVOKE = 5;

// Header of every journal metadata block.
constexpr usize H_MAGIC = 0;
constexpr usize H_TYPE = 4;
constexpr usize H_SEQUENCE = 8;
constexpr usize HEADER_SIZE = 12;

// Journal superblock.
constexpr usize JS_BLOCK_SIZE = 0x0C;
constexpr usize JS_MAX_LENGTH = 0x10;
constexpr usize JS_FIRST = 0x14;
constexpr usize JS_SEQUENCE = 0x18;
constexpr usize JS_START = 0x1C;
constexpr usize JS_INCOMPAT = 0x28;
constexpr usize JS_UUID = 0x30;
constexpr usize JS_CHECKSUM = 0xFC;
constexpr usize JS_SIZE = 1024;

constexpr u32 INCOMPAT_REVOKE = 0x1;
constexpr u32 INCOMPAT_64BIT = 0x2;
constexpr u32 INCOMPAT_ASYNC_COMMIT = 0x4;
constexpr u32 INCOMPAT_CSUM_V2 = 0x8;
constexpr u32 INCOMPAT_CSUM_V3 = 0x10;
constexpr u32 INCOMPAT_FAST_COMMIT = 0x20;
constexpr u32 INCOMPAT_KNOWN = INCOMPAT_REVOKE | INCOMPAT_64BIT | INCOMPAT_ASYNC_COMMIT | INCOMPAT_CSUM_V2
    | INCOMPAT_CSUM_V3 | INCOMPAT_FAST_COMMIT;

constexpr u32 TAG_ESCAPE = 1;
constexpr u32 TAG_SAME_UUID = 2;
constexpr u32 TAG_LAST = 8;

constexpr usize COMMIT_CHECKSUM = 16;
constexpr usize REVOKE_COUNT = 12;

class Journal {
public:
    Journal(Ext4FileSystem& fs, const InodeRecord& inode)
        : m_fs(fs)
        , m_inode(inode)
    {
    }

    ErrorOr<void> load();
    ErrorOr<void> replay();

private:
    enum class Pass { Scan, Revoke, Replay };

    ErrorOr<block::BlockHandle> read_journal_block(u32 index);
    ErrorOr<u64> home_of(u32 index);
    u32 advance(u32 index) const { return index + 1 >= m_max_length ? m_first : index + 1; }
    bool has(u32 feature) const { return m_incompat & feature; }
    bool checksummed() const { return has(INCOMPAT_CSUM_V2) || has(INCOMPAT_CSUM_V3); }
    usize tag_size() const;
    bool block_tail_matches(const u8* block) const;
    bool commit_matches(const u8* block) const;
    ErrorOr<void> run(Pass pass);
    ErrorOr<void> replay_block(u64 target, u32 journal_index, u32 flags, u32 tag_checksum, u32 sequence);
    bool is_revoked(u64 block, u32 sequence) const;
    ErrorOr<void> finish();

    Ext4FileSystem& m_fs;
    const InodeRecord& m_inode;
    u32 m_block_size { 0 };
    u32 m_max_length { 0 };
    u32 m_first { 0 };
    u32 m_sequence { 0 };
    u32 m_start { 0 };
    u32 m_incompat { 0 };
    u32 m_seed { 0 };
    u32 m_end_sequence { 0 };
    lib::HashMap<u64, u32> m_revoked; // block -> newest revoking transaction
};

ErrorOr<u64> Journal::home_of(u32 index)
{
    MappedBlock mapped = TRY(map_block(m_fs, m_inode, index));
    if (!mapped.physical || mapped.unwritten)
        return Error::from_errno(EUCLEAN);
    return mapped.physical;
}

ErrorOr<block::BlockHandle> Journal::read_journal_block(u32 index)
{
    return m_fs.read_block(TRY(home_of(index)));
}

ErrorOr<void> Journal::load()
{
    m_block_size = m_fs.geometry().block_size;
    if (m_inode.size() / m_block_size < 2)
        return Error::from_errno(EUCLEAN);
    auto handle = TRY(read_journal_block(0));
    const u8* js = handle.data();
    u32 type = load32_be(js, H_TYPE);
    if (load32_be(js, H_MAGIC) != JBD2_MAGIC || (type != BLOCK_SUPERBLOCK_V1 && type != BLOCK_SUPERBLOCK_V2))
        return Error::from_errno(EUCLEAN);
    if (load32_be(js, JS_BLOCK_SIZE) != m_block_size)
        return Error::from_errno(EUCLEAN);
    m_max_length = load32_be(js, JS_MAX_LENGTH);
    m_first = load32_be(js, JS_FIRST);
    m_sequence = load32_be(js, JS_SEQUENCE);
    m_start = load32_be(js, JS_START);
    if (m_max_length > m_inode.size() / m_block_size || m_first == 0 || m_first >= m_max_length
        || (m_start && (m_start < m_first || m_start >= m_max_length)))
        return Error::from_errno(EUCLEAN);
    if (type == BLOCK_SUPERBLOCK_V2) {
        m_incompat = load32_be(js, JS_INCOMPAT);
        if (m_incompat & ~INCOMPAT_KNOWN)
            return Error::from_errno(EINVAL);
        if (has(INCOMPAT_CSUM_V2) && has(INCOMPAT_CSUM_V3))
            return Error::from_errno(EUCLEAN);
        if (checksummed()) {
            u8 copy[JS_SIZE];
            copy_bytes(copy, js, JS_SIZE);
            store32_be(copy, JS_CHECKSUM, 0);
            if (crc32c(~0u, copy, JS_SIZE) != load32_be(js, JS_CHECKSUM))
                return Error::from_errno(EUCLEAN);
            m_seed = crc32c(~0u, js + JS_UUID, 16);
        }
    }
    return {};
}

usize Journal::tag_size() const
{
    if (has(INCOMPAT_CSUM_V3))
        return 16;
    usize size = 12;
    if (has(INCOMPAT_CSUM_V2))
        size += 2;
    return has(INCOMPAT_64BIT) ? size : size - 4;
}

bool Journal::block_tail_matches(const u8* block) const
{
    if (!checksummed())
        return true;
    u32 stored = load32_be(block, m_block_size - 4);
    u32 crc = crc32c(m_seed, block, m_block_size - 4);
    u8 zero[4] = {};
    return crc32c(crc, zero, 4) == stored;
}

bool Journal::commit_matches(const u8* block) const
{
    if (!checksummed())
        return true;
    u32 stored = load32_be(block, COMMIT_CHECKSUM);
    u32 crc = crc32c(m_seed, block, COMMIT_CHECKSUM);
    u8 zero[4] = {};
    crc = crc32c(crc, zero, 4);
    crc = crc32c(crc, block + COMMIT_CHECKSUM + 4, m_block_size - COMMIT_CHECKSUM - 4);
    return crc == stored;
}

bool Journal::is_revoked(u64 block, u32 sequence) const
{
    const u32* revoked = m_revoked.get(block);
    return revoked && i32(*revoked - sequence) >= 0;
}

ErrorOr<void> Journal::replay_block(u64 target, u32 journal_index, u32 flags, u32 tag_checksum, u32 sequence)
{
    if (is_revoked(target, sequence))
        return {};
    if (target >= m_fs.geometry().blocks_count)
        return Error::from_errno(EUCLEAN);
    auto source = TRY(read_journal_block(journal_index));
    if (checksummed()) {
        u8 number[4];
        store32_be(number, 0, sequence);
        u32 crc = crc32c(crc32c(m_seed, number, 4), source.data(), m_block_size);
        bool matches = has(INCOMPAT_CSUM_V3) ? crc == tag_checksum : u16(crc) == u16(tag_checksum);
        if (!matches)
            return {}; // Linux skips a logged block whose checksum fails
    }
    auto destination = TRY(m_fs.overwrite_block(target));
    copy_bytes(destination.data(), source.data(), m_block_size);
    if (flags & TAG_ESCAPE)
        store32_be(destination.data(), 0, JBD2_MAGIC);
    return {};
}

ErrorOr<void> Journal::run(Pass pass)
{
    u32 index = m_start;
    u32 sequence = m_sequence;
    usize tags = tag_size();
    u32 area = m_block_size - (checksummed() ? 4 : 0);
    for (u32 steps = 0; steps < m_max_length; ++steps) {
        if (pass != Pass::Scan && i32(sequence - m_end_sequence) >= 0)
            return {};
        auto handle = TRY(read_journal_block(index));
        const u8* block = handle.data();
        if (load32_be(block, H_MAGIC) != JBD2_MAGIC || load32_be(block, H_SEQUENCE) != sequence)
            break;
        u32 type = load32_be(block, H_TYPE);
        if (type == BLOCK_DESCRIPTOR) {
            if (!block_tail_matches(block))
                break;
            // Walk the tags; each names the home of the next logged block.
            u32 data_index = index;
            usize offset = HEADER_SIZE;
            while (offset + tags <= area) {
                const u8* tag = block + offset;
                u64 target = load32_be(tag, 0);
                u32 flags;
                u32 checksum;
                if (has(INCOMPAT_CSUM_V3)) {
                    flags = load32_be(tag, 4);
                    if (has(INCOMPAT_64BIT))
                        target |= u64(load32_be(tag, 8)) << 32;
                    checksum = load32_be(tag, 12);
                } else {
                    checksum = load16_be(tag, 4);
                    flags = load16_be(tag, 6);
                    if (has(INCOMPAT_64BIT))
                        target |= u64(load32_be(tag, 8)) << 32;
                }
                data_index = advance(data_index);
                if (pass == Pass::Replay)
                    TRY(replay_block(target, data_index, flags, checksum, sequence));
                offset += tags;
                if (!(flags & TAG_SAME_UUID))
                    offset += 16;
                if (flags & TAG_LAST)
                    break;
            }
            index = advance(data_index);
            continue;
        }
        if (type == BLOCK_COMMIT) {
            if (!commit_matches(block))
                break;
            ++sequence;
            index = advance(index);
            continue;
        }
        if (type == BLOCK_REVOKE) {
            if (!block_tail_matches(block))
                break;
            if (pass == Pass::Revoke) {
                u32 used = load32_be(block, REVOKE_COUNT);
                usize record = has(INCOMPAT_64BIT) ? 8 : 4;
                if (used > area)
                    return Error::from_errno(EUCLEAN);
                for (usize offset = 16; offset + record <= used; offset += record) {
                    u64 target = record == 8 ? load64_be(block, offset) : load32_be(block, offset);
                    u32* existing = m_revoked.get(target);
                    if (!existing || i32(sequence - *existing) > 0)
                        TRY(m_revoked.try_set(u64(target), u32(sequence)));
                }
            }
            index = advance(index);
            continue;
        }
        break;
    }
    if (pass == Pass::Scan)
        m_end_sequence = sequence;
    return {};
}

ErrorOr<void> Journal::finish()
{
    auto handle = TRY(read_journal_block(0));
    u8* js = handle.data();
    store32_be(js, JS_SEQUENCE, m_end_sequence + 1);
    store32_be(js, JS_START, 0);
    if (checksummed()) {
        store32_be(js, JS_CHECKSUM, 0);
        store32_be(js, JS_CHECKSUM, crc32c(~0u, js, JS_SIZE));
    }
    handle.mark_dirty();
    return {};
}

ErrorOr<void> Journal::replay()
{
    if (m_start == 0)
        return {}; // empty: nothing to replay
    TRY(run(Pass::Scan));
    TRY(run(Pass::Revoke));
    TRY(run(Pass::Replay));
    return finish();
}

} // namespace

ErrorOr<void> replay_journal(Ext4FileSystem& fs)
{
    u32 number = fs.geometry().journal_inode;
    if (!number)
        return Error::from_errno(EUCLEAN);
    InodeRecord inode;
    TRY(fs.read_inode(number, inode));
    if (!inode.is_regular())
        return Error::from_errno(EUCLEAN);
    Journal journal(fs, inode);
    TRY(journal.load());
    return journal.replay();
}

} // namespace ext4
