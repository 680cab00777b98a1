// Partition table parsing (fs/block/Partitions.cpp) on crafted disks held in
// memory: MBR primaries, logical partitions, protective MBR + GPT, the
// backup GPT, and malformed tables that must be refused with EINVAL.
#include <fs/block/DeviceNumbers.h>
#include <fs/block/Partitions.h>
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace {

class MemoryDisk final : public block::BlockDevice {
public:
    explicit MemoryDisk(u64 sectors)
        : m_bytes(sectors * 512, 0)
    {
    }

    StringView name() const override { return "vda"; }
    u32 sector_size() const override { return 512; }
    u64 sector_count() const override { return m_bytes.size() / 512; }
    ErrorOr<void> read_sectors(u64 first, Bytes buffer) override
    {
        TRY(block::check_transfer(*this, first, buffer.size()));
        ++reads;
        std::memcpy(buffer.data(), m_bytes.data() + first * 512, buffer.size());
        return {};
    }
    ErrorOr<void> write_sectors(u64 first, ReadonlyBytes data) override
    {
        TRY(block::check_transfer(*this, first, data.size()));
        std::memcpy(m_bytes.data() + first * 512, data.data(), data.size());
        return {};
    }
    ErrorOr<void> flush() override { return {}; }

    u8* sector(u64 index) { return m_bytes.data() + index * 512; }
    usize reads { 0 };

private:
    std::vector<u8> m_bytes;
};

void put32(u8* p, u32 v)
{
    for (int i = 0; i < 4; ++i)
        p[i] = static_cast<u8>(v >> (8 * i));
}

void put64(u8* p, u64 v)
{
    for (int i = 0; i < 8; ++i)
        p[i] = static_cast<u8>(v >> (8 * i));
}

void mbr_entry(u8* sector, int index, u8 type, u32 first, u32 count, u8 status = 0)
{
    u8* e = sector + 446 + usize(16) * index;
    e[0] = status;
    e[4] = type;
    put32(e + 8, first);
    put32(e + 12, count);
    sector[510] = 0x55;
    sector[511] = 0xaa;
}

struct GptPartition {
    u64 first;
    u64 last;
};

constexpr u8 LINUX_DATA_GUID[16]
    = { 0xaf, 0x3d, 0xc6, 0x0f, 0x83, 0x84, 0x72, 0x47, 0x8e, 0x79, 0x3d, 0x69, 0xd8, 0x47, 0x7d, 0xe4 };

// Writes a GPT header at `header_lba` with its entry array at `entries_lba`.
void write_gpt(
    MemoryDisk& disk, u64 header_lba, u64 entries_lba, const std::vector<GptPartition>& parts, u32 entry_count = 128)
{
    u64 last = disk.sector_count() - 1;
    std::vector<u8> entries(usize(entry_count) * 128, 0);
    for (usize i = 0; i < parts.size(); ++i) {
        u8* e = entries.data() + i * 128;
        std::memcpy(e, LINUX_DATA_GUID, 16);
        e[16] = static_cast<u8>(i + 1); // unique partition GUID
        put64(e + 32, parts[i].first);
        put64(e + 40, parts[i].last);
    }
    for (usize s = 0; s < entries.size() / 512; ++s)
        std::memcpy(disk.sector(entries_lba + s), entries.data() + s * 512, 512);
    u8* h = disk.sector(header_lba);
    std::memset(h, 0, 512);
    constexpr u8 SIGNATURE[8] = { 'E', 'F', 'I', ' ', 'P', 'A', 'R', 'T' };
    std::memcpy(h, SIGNATURE, sizeof(SIGNATURE));
    put32(h + 8, 0x00010000);
    put32(h + 12, 92);
    put64(h + 24, header_lba);
    put64(h + 32, header_lba == 1 ? last : 1);
    put64(h + 40, 34);
    put64(h + 48, last - 33);
    put64(h + 72, entries_lba);
    put32(h + 80, entry_count);
    put32(h + 84, 128);
    put32(h + 88, block::crc32({ entries.data(), entries.size() }));
    put32(h + 16, block::crc32({ h, 92 }));
}

void protective_mbr(MemoryDisk& disk)
{
    mbr_entry(disk.sector(0), 0, 0xee, 1, static_cast<u32>(disk.sector_count() - 1));
}

void full_gpt(MemoryDisk& disk, const std::vector<GptPartition>& parts)
{
    protective_mbr(disk);
    write_gpt(disk, 1, 2, parts);
    write_gpt(disk, disk.sector_count() - 1, disk.sector_count() - 33, parts);
}

int read_error(MemoryDisk& disk, block::PartitionTable& table)
{
    auto result = block::read_partition_table(disk, table);
    return result.is_error() ? result.error().code() : 0;
}

TEST(Partitions, Crc32MatchesTheStandardCheckValue)
{
    const char* text = "123456789";
    EXPECT_EQ(block::crc32({ reinterpret_cast<const u8*>(text), 9 }), 0xcbf43926u);
}

TEST(Partitions, BlankDiskHasNoTable)
{
    MemoryDisk disk(2048);
    block::PartitionTable table;
    EXPECT_EQ(read_error(disk, table), 0);
    EXPECT_EQ(table.kind, block::TableKind::None);
    EXPECT_EQ(table.count, 0u);
}

TEST(Partitions, MbrPrimaries)
{
    MemoryDisk disk(4096);
    mbr_entry(disk.sector(0), 0, 0x83, 2048, 1024, 0x80);
    mbr_entry(disk.sector(0), 2, 0x0c, 3072, 1024);
    block::PartitionTable table;
    ASSERT_EQ(read_error(disk, table), 0);
    EXPECT_EQ(table.kind, block::TableKind::Mbr);
    ASSERT_EQ(table.count, 2u);
    EXPECT_EQ(table.entries[0].number, 1u);
    EXPECT_EQ(table.entries[0].first_sector, 2048u);
    EXPECT_EQ(table.entries[0].sector_count, 1024u);
    EXPECT_EQ(table.entries[0].mbr_type, 0x83);
    EXPECT_EQ(table.entries[1].number, 3u);
    EXPECT_EQ(table.entries[1].first_sector, 3072u);
}

TEST(Partitions, MbrLogicalPartitionsFollowTheEbrChain)
{
    MemoryDisk disk(8192);
    mbr_entry(disk.sector(0), 0, 0x83, 2048, 1024);
    mbr_entry(disk.sector(0), 1, 0x05, 4096, 4096);
    // EBR 1 at 4096: logical at +64 for 512 sectors, next EBR at extended + 1024.
    mbr_entry(disk.sector(4096), 0, 0x83, 64, 512);
    mbr_entry(disk.sector(4096), 1, 0x05, 1024, 1024);
    // EBR 2 at 5120: logical at +64 for 900 sectors, end of chain.
    mbr_entry(disk.sector(5120), 0, 0x82, 64, 900);
    block::PartitionTable table;
    ASSERT_EQ(read_error(disk, table), 0);
    ASSERT_EQ(table.count, 3u);
    EXPECT_EQ(table.entries[1].number, 5u);
    EXPECT_EQ(table.entries[1].first_sector, 4160u);
    EXPECT_EQ(table.entries[1].sector_count, 512u);
    EXPECT_EQ(table.entries[2].number, 6u);
    EXPECT_EQ(table.entries[2].first_sector, 5184u);
    EXPECT_EQ(table.entries[2].mbr_type, 0x82);
}

TEST(Partitions, MbrLoopingEbrChainIsRefused)
{
    MemoryDisk disk(8192);
    mbr_entry(disk.sector(0), 0, 0x05, 4096, 4096);
    mbr_entry(disk.sector(4096), 0, 0x83, 64, 512);
    mbr_entry(disk.sector(4096), 1, 0x05, 1024, 1024);
    mbr_entry(disk.sector(5120), 0, 0x83, 64, 512);
    mbr_entry(disk.sector(5120), 1, 0x05, 0 + 1, 1024); // points back before itself
    block::PartitionTable table;
    EXPECT_EQ(read_error(disk, table), EINVAL);
    EXPECT_EQ(table.count, 0u);
}

TEST(Partitions, MbrLogicalOutsideTheExtendedPartitionIsRefused)
{
    MemoryDisk disk(8192);
    mbr_entry(disk.sector(0), 0, 0x05, 4096, 1024);
    mbr_entry(disk.sector(4096), 0, 0x83, 64, 2048); // runs past 4096 + 1024
    block::PartitionTable table;
    EXPECT_EQ(read_error(disk, table), EINVAL);
}

TEST(Partitions, MbrOverlappingPartitionsAreRefused)
{
    MemoryDisk disk(8192);
    mbr_entry(disk.sector(0), 0, 0x83, 2048, 2048);
    mbr_entry(disk.sector(0), 1, 0x83, 4000, 1000);
    block::PartitionTable table;
    EXPECT_EQ(read_error(disk, table), EINVAL);
    EXPECT_EQ(table.count, 0u);
}

TEST(Partitions, MbrPartitionPastTheEndIsRefused)
{
    MemoryDisk disk(4096);
    mbr_entry(disk.sector(0), 0, 0x83, 2048, 4096);
    block::PartitionTable table;
    EXPECT_EQ(read_error(disk, table), EINVAL);
}

TEST(Partitions, MbrWithBadStatusByteIsRefused)
{
    MemoryDisk disk(4096);
    mbr_entry(disk.sector(0), 0, 0x83, 2048, 1024, 0x12);
    block::PartitionTable table;
    EXPECT_EQ(read_error(disk, table), EINVAL);
}

TEST(Partitions, GptBehindAProtectiveMbr)
{
    MemoryDisk disk(8192);
    full_gpt(disk, { { 2048, 4095 }, { 4096, 8000 } });
    block::PartitionTable table;
    ASSERT_EQ(read_error(disk, table), 0);
    EXPECT_EQ(table.kind, block::TableKind::Gpt);
    EXPECT_FALSE(table.used_backup_gpt);
    ASSERT_EQ(table.count, 2u);
    EXPECT_EQ(table.entries[0].number, 1u);
    EXPECT_EQ(table.entries[0].first_sector, 2048u);
    EXPECT_EQ(table.entries[0].sector_count, 2048u);
    EXPECT_EQ(table.entries[1].number, 2u);
    EXPECT_EQ(table.entries[1].sector_count, 3905u);
    EXPECT_EQ(std::memcmp(table.entries[0].type_guid, LINUX_DATA_GUID, 16), 0);
}

TEST(Partitions, GptBadHeaderCrcFallsBackToTheBackup)
{
    MemoryDisk disk(8192);
    full_gpt(disk, { { 2048, 4095 } });
    disk.sector(1)[100] ^= 1; // outside the 92 checked bytes: still fine
    disk.sector(1)[50] ^= 1;  // last_usable: the CRC no longer matches
    block::PartitionTable table;
    ASSERT_EQ(read_error(disk, table), 0);
    EXPECT_TRUE(table.used_backup_gpt);
    ASSERT_EQ(table.count, 1u);
    EXPECT_EQ(table.entries[0].first_sector, 2048u);
}

TEST(Partitions, GptBadCrcInBothCopiesIsRefused)
{
    MemoryDisk disk(8192);
    full_gpt(disk, { { 2048, 4095 } });
    disk.sector(1)[20] ^= 1;                       // header CRC field itself
    disk.sector(disk.sector_count() - 1)[72] ^= 1; // backup's entries LBA
    block::PartitionTable table;
    EXPECT_EQ(read_error(disk, table), EINVAL);
    EXPECT_EQ(table.kind, block::TableKind::None);
}

TEST(Partitions, GptBadEntryArrayCrcIsRefused)
{
    MemoryDisk disk(8192);
    protective_mbr(disk);
    write_gpt(disk, 1, 2, { { 2048, 4095 } });
    disk.sector(2)[40] ^= 0x10; // the entry's last LBA, under the array CRC
    block::PartitionTable table;
    EXPECT_EQ(read_error(disk, table), EINVAL);
}

TEST(Partitions, GptOverlappingPartitionsAreRefused)
{
    MemoryDisk disk(8192);
    full_gpt(disk, { { 2048, 4095 }, { 4000, 5000 } });
    block::PartitionTable table;
    EXPECT_EQ(read_error(disk, table), EINVAL);
}

TEST(Partitions, GptPartitionOutsideTheUsableAreaIsRefused)
{
    MemoryDisk disk(8192);
    full_gpt(disk, { { 2048, 8191 } }); // last usable is 8158
    block::PartitionTable table;
    EXPECT_EQ(read_error(disk, table), EINVAL);
}

TEST(Partitions, GptEntryWithFirstAfterLastIsRefused)
{
    MemoryDisk disk(8192);
    full_gpt(disk, { { 4096, 2048 } });
    block::PartitionTable table;
    EXPECT_EQ(read_error(disk, table), EINVAL);
}

TEST(Partitions, GptHugeEntryCountIsRefusedWithoutReadingIt)
{
    MemoryDisk disk(8192);
    protective_mbr(disk);
    write_gpt(disk, 1, 2, { { 2048, 4095 } });
    u8* h = disk.sector(1);
    put32(h + 80, 0x7fffffff);
    put32(h + 16, 0);
    put32(h + 16, block::crc32({ h, 92 }));
    disk.reads = 0;
    block::PartitionTable table;
    EXPECT_EQ(read_error(disk, table), EINVAL);
    EXPECT_LE(disk.reads, 3u); // the MBR and the two headers, no entry array
}

TEST(Partitions, ProtectiveMbrWithoutGptIsRefused)
{
    MemoryDisk disk(8192);
    protective_mbr(disk);
    block::PartitionTable table;
    EXPECT_EQ(read_error(disk, table), EINVAL);
}

TEST(Partitions, HighGptEntriesAreSkippedNotExposed)
{
    MemoryDisk disk(16384);
    std::vector<GptPartition> parts;
    for (u64 i = 0; i < 17; ++i)
        parts.push_back({ 2048 + i * 256, 2048 + i * 256 + 255 });
    full_gpt(disk, parts);
    block::PartitionTable table;
    ASSERT_EQ(read_error(disk, table), 0);
    EXPECT_EQ(table.count, block::MAX_PARTITION_NUMBER);
    EXPECT_EQ(table.skipped, 2u);
}

TEST(Partitions, PartitionDeviceForwardsWithinItsRange)
{
    auto disk = adopt_ref(*new MemoryDisk(8192));
    full_gpt(*disk, { { 2048, 4095 } });
    block::PartitionTable table;
    ASSERT_FALSE(block::read_partition_table(*disk, table).is_error());
    auto partition = block::Partition::try_create(disk, table.entries[0]);
    ASSERT_FALSE(partition.is_error());
    auto& part = *partition.value();
    EXPECT_EQ(part.name(), StringView("vda1"));
    EXPECT_EQ(part.sector_count(), 2048u);

    u8 data[1024];
    for (usize i = 0; i < sizeof(data); ++i)
        data[i] = static_cast<u8>(i * 7);
    ASSERT_FALSE(part.write_sectors(10, { data, sizeof(data) }).is_error());
    EXPECT_EQ(std::memcmp(disk->sector(2048 + 10), data, sizeof(data)), 0);
    u8 back[1024] = {};
    ASSERT_FALSE(part.read_sectors(10, { back, sizeof(back) }).is_error());
    EXPECT_EQ(std::memcmp(back, data, sizeof(data)), 0);

    // The last sector is fine; one past it, or a partial sector, is not.
    EXPECT_FALSE(part.read_sectors(2047, { back, 512 }).is_error());
    auto past = part.read_sectors(2047, { back, 1024 });
    ASSERT_TRUE(past.is_error());
    EXPECT_EQ(past.error().code(), EINVAL);
    auto partial = part.read_sectors(0, { back, 100 });
    ASSERT_TRUE(partial.is_error());
    EXPECT_EQ(partial.error().code(), EINVAL);
    auto far = part.read_sectors(~u64(0), { back, 512 });
    ASSERT_TRUE(far.is_error());
    EXPECT_EQ(far.error().code(), EINVAL);
}

TEST(Partitions, RegisterPartitionsNamesThemAfterTheDisk)
{
    auto disk = adopt_ref(*new MemoryDisk(8192));
    mbr_entry(disk->sector(0), 0, 0x83, 2048, 1024);
    mbr_entry(disk->sector(0), 1, 0x83, 4096, 1024);
    auto registered = block::register_partitions(disk);
    ASSERT_FALSE(registered.is_error());
    EXPECT_EQ(registered.value(), 2u);
    auto first = block::find_device("vda1");
    auto second = block::find_device("vda2");
    ASSERT_TRUE(first);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->sector_count(), 1024u);
    block::unregister_device("vda1");
    block::unregister_device("vda2");
    EXPECT_FALSE(block::find_device("vda1"));
}

} // namespace

#include <fs/procfs/Devices.h>
#include <fs/procfs/Text.h>

namespace {

TEST(ProcPartitions, ListsDisksAndPartitionsInLinuxFormat)
{
    auto disk = adopt_ref(*new MemoryDisk(8192));
    mbr_entry(disk->sector(0), 0, 0x83, 2048, 2048);
    ASSERT_FALSE(block::register_device(disk).is_error());
    ASSERT_FALSE(block::register_partitions(disk).is_error());
    fs::procfs::TextBuffer text;
    fs::procfs::generate_partitions(text);
    EXPECT_EQ(std::string(text.view().begin(), text.view().end()),
        "major minor  #blocks  name\n\n"
        " 254       0       4096 vda\n"
        " 254       1       1024 vda1\n");
    block::unregister_device("vda1");
    block::unregister_device("vda");
}

TEST(DeviceNumbers, FollowLinuxSchemes)
{
    block::DeviceNumber number {};
    ASSERT_TRUE(block::device_number_for("sda", number));
    EXPECT_EQ(number.major, 8u);
    EXPECT_EQ(number.minor, 0u);
    ASSERT_TRUE(block::device_number_for("sdb15", number));
    EXPECT_EQ(number.minor, 31u);
    ASSERT_TRUE(block::device_number_for("vdc2", number));
    EXPECT_EQ(number.major, 254u);
    EXPECT_EQ(number.minor, 34u);
    EXPECT_FALSE(block::device_number_for("sda16", number));
    EXPECT_FALSE(block::device_number_for("sda0", number));
    EXPECT_FALSE(block::device_number_for("hda", number));
    EXPECT_FALSE(block::device_number_for("sdq", number));
    EXPECT_FALSE(block::device_number_for("vd", number));
}

} // namespace
