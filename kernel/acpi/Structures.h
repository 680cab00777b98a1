#pragma once

// The on-firmware layouts of the ACPI structures Osprey reads. Tables carry
// no alignment guarantee, so the parsers never dereference these in place:
// they copy a structure out of the table bytes with load<T>() after checking
// that the bytes are there. All fields are little-endian.
#include <kernel/lib/Types.h>

namespace acpi::layout {

// ACPI 6.5, 5.2.5.3: Root System Description Pointer. Revision 0 (ACPI 1.0)
// has only the first 20 bytes; revision >= 2 adds the XSDT address and an
// extended checksum over `length` bytes.
struct [[gnu::packed]] Rsdp {
    char signature[8]; // "RSD PTR "
    u8 checksum;       // over the first 20 bytes
    char oem_id[6];
    u8 revision;
    u32 rsdt_address;
    // Revision >= 2:
    u32 length;
    u64 xsdt_address;
    u8 extended_checksum; // over `length` bytes
    u8 reserved[3];
};
static_assert(sizeof(Rsdp) == 36);
inline constexpr usize RSDP_V1_SIZE = 20;

// ACPI 6.5, 5.2.6: System Description Table header, shared by every table.
struct [[gnu::packed]] SdtHeader {
    char signature[4];
    u32 length; // of the whole table, header included
    u8 revision;
    u8 checksum; // all `length` bytes sum to 0 (mod 256)
    char oem_id[6];
    char oem_table_id[8];
    u32 oem_revision;
    u32 creator_id;
    u32 creator_revision;
};
static_assert(sizeof(SdtHeader) == 36);

// ACPI 6.5, 5.2.9: FADT fields Osprey uses (the DSDT pointers).
inline constexpr usize FADT_DSDT_OFFSET = 40;     // u32
inline constexpr usize FADT_X_DSDT_OFFSET = 140;  // u64, ACPI 2.0+
inline constexpr usize FADT_CENTURY_OFFSET = 108; // u8, CMOS index of the RTC's century

// ACPI 6.5, 5.2.12: Multiple APIC Description Table.
struct [[gnu::packed]] MadtHeader {
    SdtHeader header;
    u32 local_apic_address;
    u32 flags; // bit 0: PCAT_COMPAT (a dual 8259 is present)
};
static_assert(sizeof(MadtHeader) == 44);

struct [[gnu::packed]] MadtEntryHeader {
    u8 type;
    u8 length; // of the entry, header included
};

enum class MadtEntryType : u8 {
    ProcessorLocalApic = 0,       // 5.2.12.2
    IoApic = 1,                   // 5.2.12.3
    InterruptSourceOverride = 2,  // 5.2.12.5
    NmiSource = 3,                // 5.2.12.6
    LocalApicNmi = 4,             // 5.2.12.7
    LocalApicAddressOverride = 5, // 5.2.12.8
    ProcessorLocalX2Apic = 9,     // 5.2.12.12
    LocalX2ApicNmi = 10,          // 5.2.12.13
};

struct [[gnu::packed]] MadtLocalApic {
    MadtEntryHeader header;
    u8 processor_uid;
    u8 apic_id;
    u32 flags; // bit 0: enabled, bit 1: online capable
};
static_assert(sizeof(MadtLocalApic) == 8);

struct [[gnu::packed]] MadtIoApic {
    MadtEntryHeader header;
    u8 io_apic_id;
    u8 reserved;
    u32 address;
    u32 gsi_base;
};
static_assert(sizeof(MadtIoApic) == 12);

// MPS INTI flags (5.2.12.5, table 5.50): bits 1:0 polarity, bits 3:2 trigger mode.
struct [[gnu::packed]] MadtInterruptOverride {
    MadtEntryHeader header;
    u8 bus; // 0 = ISA
    u8 source;
    u32 gsi;
    u16 flags;
};
static_assert(sizeof(MadtInterruptOverride) == 10);

struct [[gnu::packed]] MadtNmiSource {
    MadtEntryHeader header;
    u16 flags;
    u32 gsi;
};
static_assert(sizeof(MadtNmiSource) == 8);

struct [[gnu::packed]] MadtLocalApicNmi {
    MadtEntryHeader header;
    u8 processor_uid; // 0xff: all processors
    u16 flags;
    u8 lint; // 0 or 1
};
static_assert(sizeof(MadtLocalApicNmi) == 6);

struct [[gnu::packed]] MadtLocalApicAddressOverride {
    MadtEntryHeader header;
    u16 reserved;
    u64 address;
};
static_assert(sizeof(MadtLocalApicAddressOverride) == 12);

struct [[gnu::packed]] MadtLocalX2Apic {
    MadtEntryHeader header;
    u16 reserved;
    u32 x2apic_id;
    u32 flags;
    u32 processor_uid;
};
static_assert(sizeof(MadtLocalX2Apic) == 16);

struct [[gnu::packed]] MadtLocalX2ApicNmi {
    MadtEntryHeader header;
    u16 flags;
    u32 processor_uid; // 0xffffffff: all processors
    u8 lint;
    u8 reserved[3];
};
static_assert(sizeof(MadtLocalX2ApicNmi) == 12);

// ACPI 6.5, 5.2.3.2: Generic Address Structure.
struct [[gnu::packed]] GenericAddress {
    u8 address_space; // 0 = system memory, 1 = system I/O
    u8 bit_width;
    u8 bit_offset;
    u8 access_size;
    u64 address;
};
static_assert(sizeof(GenericAddress) == 12);

// IA-PC HPET specification 1.0a, 3.2.4: the HPET description table.
struct [[gnu::packed]] HpetTable {
    SdtHeader header;
    u32 event_timer_block_id; // bits 12:8 comparators - 1, 13 64-bit counter, 15 legacy route, 31:16 PCI vendor
    GenericAddress base_address;
    u8 hpet_number;
    u16 minimum_clock_tick; // in main-counter ticks, for periodic mode
    u8 page_protection;
};
static_assert(sizeof(HpetTable) == 56);

// PCI Firmware Specification 3.2, 4.1.2: MCFG (memory-mapped configuration space).
struct [[gnu::packed]] McfgHeader {
    SdtHeader header;
    u64 reserved;
};
static_assert(sizeof(McfgHeader) == 44);

struct [[gnu::packed]] McfgAllocation {
    u64 base_address; // ECAM base for bus 0 of this segment
    u16 segment_group;
    u8 start_bus;
    u8 end_bus;
    u32 reserved;
};
static_assert(sizeof(McfgAllocation) == 16);

// Copies a T out of possibly unaligned bytes. The caller has checked that
// sizeof(T) bytes are readable at `bytes`.
template<typename T>
inline T load(const u8* bytes)
{
    T value;
    __builtin_memcpy(&value, bytes, sizeof(T));
    return value;
}

} // namespace acpi::layout
