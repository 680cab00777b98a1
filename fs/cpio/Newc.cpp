// The newc cpio reader; see Newc.h for the format and the checks.
#include <fs/cpio/Newc.h>

namespace cpio {

namespace {

constexpr usize FIELD_COUNT = 13;
constexpr usize MAGIC_SIZE = 6;
constexpr usize FIELD_SIZE = 8;

enum Field : usize {
    Inode,
    Mode,
    Uid,
    Gid,
    LinkCount,
    Mtime,
    FileSize,
    DevMajor,
    DevMinor,
    RdevMajor,
    RdevMinor,
    NameSize,
    Check,
};

bool parse_hex(const u8* digits, u32& out)
{
    u64 value;
    if (!StringView(reinterpret_cast<const char*>(digits), FIELD_SIZE).to_u64_hex(value) || value > 0xffffffff)
        return false;
    out = static_cast<u32>(value);
    return true;
}

bool magic_is(const u8* magic, const char* expected)
{
    for (usize i = 0; i < MAGIC_SIZE; ++i) {
        if (magic[i] != static_cast<u8>(expected[i]))
            return false;
    }
    return true;
}

} // namespace

ErrorOr<bool> NewcReader::next(Entry& entry)
{
    if (m_failed)
        return Error::from_errno(EINVAL);
    if (m_done)
        return false;
    // Any failure below leaves the reader failed.
    m_failed = true;

    usize size = m_archive.size();
    if (m_offset > size || size - m_offset < HEADER_SIZE)
        return Error::from_errno(EINVAL); // no room for a header: the trailer is missing
    const u8* header = m_archive.data() + m_offset;
    bool with_checksum = magic_is(header, "070702");
    if (!with_checksum && !magic_is(header, "070701"))
        return Error::from_errno(EINVAL);

    u32 fields[FIELD_COUNT];
    for (usize i = 0; i < FIELD_COUNT; ++i) {
        if (!parse_hex(header + MAGIC_SIZE + i * FIELD_SIZE, fields[i]))
            return Error::from_errno(EINVAL);
    }

    usize name_size = fields[NameSize];
    if (name_size == 0 || name_size > MAX_NAME_SIZE)
        return Error::from_errno(EINVAL);
    usize name_offset = m_offset + HEADER_SIZE;
    if (size - name_offset < name_size)
        return Error::from_errno(EINVAL);
    const char* name = reinterpret_cast<const char*>(m_archive.data() + name_offset);
    if (name[name_size - 1] != '\0')
        return Error::from_errno(EINVAL);
    for (usize i = 0; i + 1 < name_size; ++i) {
        if (name[i] == '\0')
            return Error::from_errno(EINVAL);
    }

    // Header + name are padded to 4 bytes; so is the data. Offsets count from
    // the start of the archive, which the loader places 4-byte aligned.
    usize data_offset = align_up(name_offset + name_size, usize(4));
    usize data_size = fields[FileSize];
    if (data_offset > size || size - data_offset < data_size)
        return Error::from_errno(EINVAL);
    ReadonlyBytes data(m_archive.data() + data_offset, data_size);

    // GNU cpio sums regular files only (a symlink's check is 0), and gives
    // the data-less names of a hard-link group 0 too: check files with data.
    constexpr u32 TYPE_MASK = 0170000;
    constexpr u32 REGULAR = 0100000;
    if (with_checksum && data_size > 0 && (fields[Mode] & TYPE_MASK) == REGULAR) {
        u32 sum = 0;
        for (u8 byte : data)
            sum += byte;
        if (sum != fields[Check])
            return Error::from_errno(EINVAL);
    }

    entry.name = StringView(name, name_size - 1);
    entry.inode = fields[Inode];
    entry.mode = fields[Mode];
    entry.uid = fields[Uid];
    entry.gid = fields[Gid];
    entry.link_count = fields[LinkCount];
    entry.mtime = fields[Mtime];
    entry.dev_major = fields[DevMajor];
    entry.dev_minor = fields[DevMinor];
    entry.rdev_major = fields[RdevMajor];
    entry.rdev_minor = fields[RdevMinor];
    entry.check = fields[Check];
    entry.data = data;

    // The last entry's padding may be cut off at the end of the archive.
    usize end = data_offset + data_size;
    m_offset = min(align_up(end, usize(4)), size);
    m_failed = false;
    if (entry.name == "TRAILER!!!") {
        m_done = true;
        return false;
    }
    return true;
}

} // namespace cpio
