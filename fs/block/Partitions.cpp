// Partition table parsing and partition devices; see Partitions.h.
//
// MBR layout: four 16-byte entries at byte 446 (status, CHS, type, CHS,
// first LBA, sector count; little endian) and 0x55 0xaa at byte 510.
// Logical partitions live in a chain of EBRs inside the extended
// partition: each EBR's first entry is a logical partition relative to
// that EBR, its second points at the next EBR relative to the extended
// partition's start. GPT: UEFI 2.10 sections 5.2.3 (protective MBR) and
// 5.3 (header at LBA 1, backup at the last LBA, the entry array).
#include <fs/block/Partitions.h>
#include <kernel/lib/New.h>

namespace block {

namespace {

// Every disk Osprey drives has 512-byte sectors (BlockDevice.h); a table
// on another sector size is not read, which keeps the buffers small enough
// for a kernel stack.
constexpr usize MAX_SECTOR_SIZE = 512;
constexpr usize MBR_ENTRIES_OFFSET = 446;
constexpr usize MBR_ENTRY_SIZE = 16;
constexpr u8 MBR_TYPE_GPT_PROTECTIVE = 0xee;
constexpr usize MAX_LOGICAL_PARTITIONS = 64;
constexpr u64 GPT_SIGNATURE = 0x5452415020494645ull; // "EFI PART"
constexpr u32 GPT_MIN_HEADER_SIZE = 92;
constexpr u32 GPT_MAX_ENTRIES = 1024;
constexpr u32 GPT_MIN_ENTRY_SIZE = 128;
constexpr u32 GPT_MAX_ENTRY_SIZE = 1024;

u32 le32(const u8* p)
{
    return u32(p[0]) | (u32(p[1]) << 8) | (u32(p[2]) << 16) | (u32(p[3]) << 24);
}

u64 le64(const u8* p)
{
    return u64(le32(p)) | (u64(le32(p + 4)) << 32);
}

bool is_extended(u8 type)
{
    return type == 0x05 || type == 0x0f || type == 0x85;
}

// A sector-sized buffer on the stack.
struct Sector {
    u8 bytes[MAX_SECTOR_SIZE];
};

ErrorOr<void> read_sector(BlockDevice& disk, u64 sector, Sector& out)
{
    if (sector >= disk.sector_count())
        return Error::from_errno(EINVAL);
    return disk.read_sectors(sector, { out.bytes, disk.sector_size() });
}

bool has_signature(const Sector& sector)
{
    return sector.bytes[510] == 0x55 && sector.bytes[511] == 0xaa;
}

ErrorOr<void> add_entry(PartitionTable& table, const PartitionEntry& entry)
{
    if (entry.number > MAX_PARTITION_NUMBER) {
        ++table.skipped;
        return {};
    }
    if (table.count == MAX_PARTITION_NUMBER)
        return Error::from_errno(EINVAL);
    table.entries[table.count++] = entry;
    return {};
}

// Every partition inside the disk, none overlapping another.
ErrorOr<void> check_layout(const PartitionTable& table, u64 disk_sectors)
{
    for (usize i = 0; i < table.count; ++i) {
        const PartitionEntry& a = table.entries[i];
        if (a.sector_count == 0 || a.first_sector >= disk_sectors || a.sector_count > disk_sectors - a.first_sector)
            return Error::from_errno(EINVAL);
        for (usize j = 0; j < i; ++j) {
            const PartitionEntry& b = table.entries[j];
            if (a.first_sector < b.first_sector + b.sector_count && b.first_sector < a.first_sector + a.sector_count)
                return Error::from_errno(EINVAL);
        }
    }
    return {};
}

ErrorOr<void> read_logical_partitions(BlockDevice& disk, u64 extended_first, u64 extended_count, PartitionTable& out)
{
    u64 extended_end = extended_first + extended_count;
    u64 ebr = extended_first;
    Sector sector;
    for (usize index = 0; index < MAX_LOGICAL_PARTITIONS; ++index) {
        if (ebr < extended_first || ebr >= extended_end)
            return Error::from_errno(EINVAL);
        TRY(read_sector(disk, ebr, sector));
        if (!has_signature(sector))
            return Error::from_errno(EINVAL);
        const u8* logical = sector.bytes + MBR_ENTRIES_OFFSET;
        const u8* next = logical + MBR_ENTRY_SIZE;
        u8 type = logical[4];
        u64 first = le32(logical + 8);
        u64 count = le32(logical + 12);
        if (type != 0 && count != 0) {
            // The logical partition starts after its EBR and stays inside the extended one.
            if (first == 0 || ebr + first + count > extended_end)
                return Error::from_errno(EINVAL);
            PartitionEntry entry {};
            entry.number = static_cast<u32>(5 + index);
            entry.first_sector = ebr + first;
            entry.sector_count = count;
            entry.mbr_type = type;
            TRY(add_entry(out, entry));
        }
        u64 next_offset = le32(next + 8);
        if (next[4] == 0 || next_offset == 0)
            return {};
        if (!is_extended(next[4]))
            return Error::from_errno(EINVAL);
        u64 next_ebr = extended_first + next_offset;
        if (next_ebr <= ebr) // the chain must move forward, so it cannot loop
            return Error::from_errno(EINVAL);
        ebr = next_ebr;
    }
    return Error::from_errno(EINVAL);
}

ErrorOr<void> read_mbr(BlockDevice& disk, const Sector& mbr, PartitionTable& out)
{
    out.kind = TableKind::Mbr;
    bool seen_extended = false;
    for (u32 i = 0; i < 4; ++i) {
        const u8* entry = mbr.bytes + MBR_ENTRIES_OFFSET + i * MBR_ENTRY_SIZE;
        u8 status = entry[0];
        u8 type = entry[4];
        u64 first = le32(entry + 8);
        u64 count = le32(entry + 12);
        if (status != 0x00 && status != 0x80)
            return Error::from_errno(EINVAL);
        if (type == 0 || count == 0)
            continue;
        if (first == 0 || first >= disk.sector_count() || count > disk.sector_count() - first)
            return Error::from_errno(EINVAL);
        if (is_extended(type)) {
            if (seen_extended)
                return Error::from_errno(EINVAL);
            seen_extended = true;
            TRY(read_logical_partitions(disk, first, count, out));
            continue;
        }
        PartitionEntry partition {};
        partition.number = i + 1;
        partition.first_sector = first;
        partition.sector_count = count;
        partition.mbr_type = type;
        TRY(add_entry(out, partition));
    }
    return {};
}

// The GPT header at `lba` and its entry array, checked; `lba` must be where
// the header says it is.
ErrorOr<void> read_gpt_at(BlockDevice& disk, u64 lba, PartitionTable& out)
{
    Sector header;
    TRY(read_sector(disk, lba, header));
    const u8* h = header.bytes;
    u32 sector_size = disk.sector_size();
    u64 sectors = disk.sector_count();
    if (le64(h) != GPT_SIGNATURE)
        return Error::from_errno(EINVAL);
    u32 header_size = le32(h + 12);
    if (header_size < GPT_MIN_HEADER_SIZE || header_size > sector_size)
        return Error::from_errno(EINVAL);
    u32 header_crc = le32(h + 16);
    // The CRC covers the header with its own CRC field zeroed.
    header.bytes[16] = header.bytes[17] = header.bytes[18] = header.bytes[19] = 0;
    if (crc32({ header.bytes, header_size }) != header_crc)
        return Error::from_errno(EINVAL);
    u64 my_lba = le64(h + 24);
    u64 first_usable = le64(h + 40);
    u64 last_usable = le64(h + 48);
    u64 entries_lba = le64(h + 72);
    u32 entry_count = le32(h + 80);
    u32 entry_size = le32(h + 84);
    u32 entries_crc = le32(h + 88);
    if (my_lba != lba || first_usable > last_usable || last_usable >= sectors)
        return Error::from_errno(EINVAL);
    if (entry_count > GPT_MAX_ENTRIES || entry_size < GPT_MIN_ENTRY_SIZE || entry_size > GPT_MAX_ENTRY_SIZE
        || entry_size % 8 != 0)
        return Error::from_errno(EINVAL);
    usize array_bytes = usize(entry_count) * entry_size;
    u64 array_sectors = (array_bytes + sector_size - 1) / sector_size;
    if (entries_lba < 2 || entries_lba >= sectors || array_sectors > sectors - entries_lba)
        return Error::from_errno(EINVAL);

    usize buffer_bytes = static_cast<usize>(array_sectors) * sector_size;
    u8* entries = new (std::nothrow) u8[buffer_bytes > 0 ? buffer_bytes : 1];
    if (!entries)
        return Error::from_errno(ENOMEM);
    ErrorOr<void> result = [&]() -> ErrorOr<void> {
        if (buffer_bytes > 0)
            TRY(disk.read_sectors(entries_lba, { entries, buffer_bytes }));
        if (crc32({ entries, array_bytes }) != entries_crc)
            return Error::from_errno(EINVAL);
        out.kind = TableKind::Gpt;
        for (u32 i = 0; i < entry_count; ++i) {
            const u8* entry = entries + usize(i) * entry_size;
            bool used = false;
            for (usize b = 0; b < 16; ++b)
                used |= entry[b] != 0;
            if (!used)
                continue;
            u64 first = le64(entry + 32);
            u64 last = le64(entry + 40);
            if (first > last || first < first_usable || last > last_usable)
                return Error::from_errno(EINVAL);
            PartitionEntry partition {};
            partition.number = i + 1;
            partition.first_sector = first;
            partition.sector_count = last - first + 1;
            for (usize b = 0; b < 16; ++b)
                partition.type_guid[b] = entry[b];
            TRY(add_entry(out, partition));
        }
        return {};
    }();
    delete[] entries;
    return result;
}

ErrorOr<void> read_gpt(BlockDevice& disk, PartitionTable& out)
{
    auto primary = read_gpt_at(disk, 1, out);
    if (!primary.is_error() || primary.error().code() != EINVAL)
        return primary;
    out = PartitionTable {};
    auto backup = read_gpt_at(disk, disk.sector_count() - 1, out);
    if (backup.is_error()) {
        out = PartitionTable {};
        return primary;
    }
    out.used_backup_gpt = true;
    return {};
}

} // namespace

u32 crc32(ReadonlyBytes bytes, u32 crc)
{
    crc = ~crc;
    for (u8 byte : bytes) {
        crc ^= byte;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

ErrorOr<void> check_transfer(const BlockDevice& device, u64 first_sector, usize bytes)
{
    u32 sector_size = device.sector_size();
    if (sector_size == 0 || bytes % sector_size != 0)
        return Error::from_errno(EINVAL);
    u64 count = bytes / sector_size;
    if (first_sector > device.sector_count() || count > device.sector_count() - first_sector)
        return Error::from_errno(EINVAL);
    return {};
}

ErrorOr<void> read_partition_table(BlockDevice& disk, PartitionTable& out)
{
    out = PartitionTable {};
    u32 sector_size = disk.sector_size();
    if (sector_size != MAX_SECTOR_SIZE || disk.sector_count() < 2)
        return {};
    Sector mbr;
    TRY(read_sector(disk, 0, mbr));
    if (!has_signature(mbr))
        return {};
    bool protective = false;
    for (u32 i = 0; i < 4; ++i)
        protective |= mbr.bytes[MBR_ENTRIES_OFFSET + i * MBR_ENTRY_SIZE + 4] == MBR_TYPE_GPT_PROTECTIVE;
    ErrorOr<void> result = protective ? read_gpt(disk, out) : read_mbr(disk, mbr, out);
    if (!result.is_error())
        result = check_layout(out, disk.sector_count());
    if (result.is_error()) {
        out = PartitionTable {};
        return result;
    }
    return {};
}

Partition::Partition(NonnullRefPtr<BlockDevice> disk, const PartitionEntry& entry)
    : m_disk(lib::move(disk))
    , m_first_sector(entry.first_sector)
    , m_sector_count(entry.sector_count)
    , m_number(entry.number)
{
}

ErrorOr<NonnullRefPtr<Partition>> Partition::try_create(NonnullRefPtr<BlockDevice> disk, const PartitionEntry& entry)
{
    StringView disk_name = disk->name();
    if (disk_name.length() + 3 > sizeof(m_name) - 1 || entry.number == 0 || entry.number > 99)
        return Error::from_errno(EINVAL);
    auto partition = TRY(try_make_ref_counted<Partition>(lib::move(disk), entry));
    usize n = 0;
    for (char c : disk_name)
        partition->m_name[n++] = c;
    if (entry.number >= 10)
        partition->m_name[n++] = static_cast<char>('0' + entry.number / 10);
    partition->m_name[n++] = static_cast<char>('0' + entry.number % 10);
    partition->m_name[n] = '\0';
    partition->m_name_length = n;
    return partition;
}

ErrorOr<void> Partition::check_range(u64 first_sector, usize bytes) const
{
    return check_transfer(*this, first_sector, bytes);
}

ErrorOr<void> Partition::read_sectors(u64 first_sector, Bytes buffer)
{
    TRY(check_range(first_sector, buffer.size()));
    return m_disk->read_sectors(m_first_sector + first_sector, buffer);
}

ErrorOr<void> Partition::write_sectors(u64 first_sector, ReadonlyBytes data)
{
    TRY(check_range(first_sector, data.size()));
    return m_disk->write_sectors(m_first_sector + first_sector, data);
}

ErrorOr<usize> register_partitions(NonnullRefPtr<BlockDevice> disk)
{
    auto* table = new (std::nothrow) PartitionTable;
    if (!table)
        return Error::from_errno(ENOMEM);
    ErrorOr<usize> result = [&]() -> ErrorOr<usize> {
        TRY(read_partition_table(*disk, *table));
        usize registered = 0;
        for (usize i = 0; i < table->count; ++i) {
            auto partition = TRY(Partition::try_create(disk, table->entries[i]));
            TRY(register_device(lib::move(partition)));
            ++registered;
        }
        return registered;
    }();
    delete table;
    return result;
}

} // namespace block
