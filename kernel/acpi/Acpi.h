#pragma once

// ACPI table discovery: from the RSDP the boot loader copied (Multiboot2 tag
// 14 or 15) through the XSDT (preferred) or RSDT to every table, each checked
// for length and checksum before anything reads it. The MADT, HPET and MCFG
// are decoded into plain structures that the interrupt, timer and PCI code use.
//
// Firmware tables are untrusted input: a table with a bad checksum, a length
// that runs off the reachable memory or a truncated entry is logged and
// skipped, and parsing goes on. Nothing here asserts on table contents.
//
// The parser reaches physical memory only through PhysicalMemory, so it runs
// unchanged on the host over crafted tables. The kernel parses once at boot
// (acpi::init) and the result is read-only afterwards, so readers need no lock.
#include <kernel/lib/Error.h>
#include <kernel/lib/Span.h>
#include <kernel/lib/StringView.h>

namespace acpi {

class PhysicalMemory {
public:
    // A pointer to `length` readable bytes at physical `address`, or nullptr
    // if any part of the range cannot be reached.
    virtual const u8* map(PhysAddr address, usize length) = 0;

protected:
    ~PhysicalMemory() = default;
};

struct TableInfo {
    char signature[5];
    char oem_id[7]; // trailing spaces removed
    PhysAddr address;
    u32 length;
    u8 revision;

    StringView signature_view() const { return signature; }
    StringView oem_id_view() const { return oem_id; }
};

// MPS INTI flags (ACPI 6.5, table 5.50), kept as their raw two-bit values.
enum class Polarity : u8 {
    BusDefault = 0,
    ActiveHigh = 1,
    ActiveLow = 3,
};
enum class TriggerMode : u8 {
    BusDefault = 0,
    Edge = 1,
    Level = 3,
};

struct ProcessorApic {
    u32 apic_id;
    u32 processor_uid;
    bool x2apic; // from a type 9 entry
};

struct IoApic {
    u8 id;
    PhysAddr address;
    u32 gsi_base;
};

struct InterruptOverride {
    u8 bus;
    u8 source; // the ISA IRQ
    u32 gsi;
    Polarity polarity;
    TriggerMode trigger;
};

struct NmiSource {
    u32 gsi;
    Polarity polarity;
    TriggerMode trigger;
};

struct LocalApicNmi {
    static constexpr u32 ALL_PROCESSORS = 0xffffffff;
    u32 processor_uid; // ALL_PROCESSORS for every processor
    u8 lint;
    Polarity polarity;
    TriggerMode trigger;
};

struct Madt {
    static constexpr usize MAX_PROCESSORS = 256;
    static constexpr usize MAX_IOAPICS = 16;
    static constexpr usize MAX_OVERRIDES = 32;
    static constexpr usize MAX_NMI_SOURCES = 16;
    static constexpr usize MAX_LOCAL_NMIS = 16;

    PhysAddr local_apic_address; // after any type 5 override
    bool pcat_compatible;        // a dual 8259 is present and must be masked

    ProcessorApic processors[MAX_PROCESSORS]; // enabled ones only
    usize processor_count;
    usize disabled_processor_count;
    IoApic io_apics[MAX_IOAPICS];
    usize io_apic_count;
    InterruptOverride overrides[MAX_OVERRIDES];
    usize override_count;
    NmiSource nmi_sources[MAX_NMI_SOURCES];
    usize nmi_source_count;
    LocalApicNmi local_nmis[MAX_LOCAL_NMIS];
    usize local_nmi_count;

    usize dropped_entries; // valid entries beyond the capacities above
    bool malformed;        // parsing stopped at an entry with a bad length
};

// Where an ISA IRQ arrives: its GSI and the signal's polarity and trigger,
// with "bus default" resolved to ISA's (active high, edge).
struct IsaRoute {
    u32 gsi;
    Polarity polarity;
    TriggerMode trigger;
};
IsaRoute route_isa_irq(const Madt& madt, u8 isa_irq);

struct Hpet {
    PhysAddr base;
    u8 comparator_count;
    bool counter_64bit;
    bool legacy_replacement_capable;
    u16 pci_vendor_id;
    u8 hpet_number;
    u16 minimum_tick;
};

struct McfgSegment {
    PhysAddr base;
    u16 segment;
    u8 start_bus;
    u8 end_bus;
};

struct Mcfg {
    static constexpr usize MAX_SEGMENTS = 16;
    McfgSegment segments[MAX_SEGMENTS];
    usize segment_count;
    usize dropped_segments;
};

struct Info {
    static constexpr usize MAX_TABLES = 64;

    u8 rsdp_revision;
    char oem_id[7];
    bool uses_xsdt;

    TableInfo tables[MAX_TABLES]; // root table first, in discovery order
    usize table_count;
    usize rejected_table_count; // bad checksum, bad length, unreachable
    usize dropped_table_count;  // valid, beyond MAX_TABLES

    bool has_madt;
    Madt madt;
    bool has_hpet;
    Hpet hpet;
    bool has_mcfg;
    Mcfg mcfg;
    // The FADT's CENTURY field: the CMOS register holding the RTC's century,
    // 0 when the FADT is absent or names none.
    u8 rtc_century_register;

    const TableInfo* find_table(StringView signature) const;
};

// True if the bytes sum to zero modulo 256 (ACPI 6.5, 5.2.5.3 and 5.2.6).
bool checksum_ok(ReadonlyBytes bytes);

// Validates an RSDP copy: signature, checksum of the first 20 bytes, and for
// revision >= 2 (when the copy holds all 36 bytes) the length and extended
// checksum. EINVAL if bad.
ErrorOr<void> validate_rsdp(ReadonlyBytes rsdp);

// Maps the table at `address` and checks its header, length and checksum.
// EFAULT if unreachable, EINVAL if malformed or its checksum is wrong.
ErrorOr<ReadonlyBytes> map_table(PhysicalMemory& memory, PhysAddr address);

// Decoders for one checksummed table (header included). EINVAL if the table
// is too short for its fixed part; bad entries inside are skipped and noted.
ErrorOr<void> parse_madt(ReadonlyBytes table, Madt& out);
ErrorOr<void> parse_hpet(ReadonlyBytes table, Hpet& out);
ErrorOr<void> parse_mcfg(ReadonlyBytes table, Mcfg& out);

// Everything reachable from the RSDP. Fails (EINVAL/EFAULT) only when the
// RSDP or the root table is unusable; a bad table below the root is logged,
// counted in rejected_table_count and skipped.
ErrorOr<void> parse(ReadonlyBytes rsdp, PhysicalMemory& memory, Info& out);

// The machine's tables: parsed once at boot, read-only afterwards.
ErrorOr<void> init(ReadonlyBytes rsdp, PhysicalMemory& memory);
// nullptr until init succeeded.
const Info* info();

} // namespace acpi
