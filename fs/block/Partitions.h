#pragma once

// Partition tables: the MBR (with logical partitions in an extended one)
// and the GPT (UEFI 2.10, chapter 5), read from a disk, checked, and offered
// as BlockDevices named after the disk ("vda1", "sda5") that forward to it.
//
// Numbering follows Linux: MBR primaries 1..4, logical partitions from 5 in
// chain order; GPT partitions by their entry's index + 1. At most
// MAX_PARTITION_NUMBER (15, the minors a disk has) are exposed; a partition
// numbered above it is counted in `skipped` and not exposed.
//
// A disk is untrusted input. A table that is malformed in any way is
// refused as a whole with EINVAL (the disk itself stays usable): a bad GPT
// header or entry array CRC (the backup GPT at the last sector is tried
// when the primary is bad), a partition running past the disk or its
// usable area, overlapping partitions, a logical partition outside its
// extended partition, an EBR chain that loops or is too long. I/O errors
// are passed on (EIO).
#include <fs/block/BlockDevice.h>

namespace block {

inline constexpr u32 MAX_PARTITION_NUMBER = 15;

enum class TableKind : u8 {
    None, // no 0x55aa signature: an unpartitioned disk
    Mbr,
    Gpt,
};

struct PartitionEntry {
    u32 number;
    u64 first_sector;
    u64 sector_count;
    u8 mbr_type;      // 0 for GPT partitions
    u8 type_guid[16]; // zeros for MBR partitions
};

struct PartitionTable {
    TableKind kind { TableKind::None };
    PartitionEntry entries[MAX_PARTITION_NUMBER] {};
    usize count { 0 };
    usize skipped { 0 }; // valid partitions numbered above MAX_PARTITION_NUMBER
    bool used_backup_gpt { false };
};

// Reads and checks `disk`'s table. kind None (and no partitions) when the
// disk has none.
ErrorOr<void> read_partition_table(BlockDevice& disk, PartitionTable& out);

// A partition as a device of its own: sectors relative to its start,
// bounded by its size, forwarded to the disk.
class Partition final : public BlockDevice {
public:
    // ENOMEM; EINVAL if the name would not fit.
    static ErrorOr<NonnullRefPtr<Partition>> try_create(NonnullRefPtr<BlockDevice> disk, const PartitionEntry& entry);

    StringView name() const override { return { m_name, m_name_length }; }
    u32 sector_size() const override { return m_disk->sector_size(); }
    u64 sector_count() const override { return m_sector_count; }
    bool is_read_only() const override { return m_disk->is_read_only(); }
    ErrorOr<void> read_sectors(u64 first_sector, Bytes buffer) override;
    ErrorOr<void> write_sectors(u64 first_sector, ReadonlyBytes data) override;
    ErrorOr<void> flush() override { return m_disk->flush(); }

    BlockDevice& disk() const { return *m_disk; }
    u64 first_sector() const { return m_first_sector; }
    u32 number() const { return m_number; }

    Partition(NonnullRefPtr<BlockDevice> disk, const PartitionEntry& entry);

private:
    ErrorOr<void> check_range(u64 first_sector, usize bytes) const;

    NonnullRefPtr<BlockDevice> m_disk;
    u64 m_first_sector;
    u64 m_sector_count;
    u32 m_number;
    char m_name[24];
    usize m_name_length { 0 };
};

// Reads `disk`'s table and registers a Partition for each entry. Returns
// how many were registered; a refused table is an error and registers none.
ErrorOr<usize> register_partitions(NonnullRefPtr<BlockDevice> disk);

// Checks a transfer against a device's size: EINVAL when `bytes` is not a
// whole number of sectors or the range runs past the end (shared by the
// drivers and Partition).
ErrorOr<void> check_transfer(const BlockDevice& device, u64 first_sector, usize bytes);

// CRC-32 (IEEE 802.3, reflected, as the GPT uses it).
u32 crc32(ReadonlyBytes bytes, u32 crc = 0);

} // namespace block
