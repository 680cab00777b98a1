// Table discovery (ACPI 6.5, 5.2.5 RSDP, 5.2.7 RSDT, 5.2.8 XSDT, 5.2.9 FADT).
//
// Every table is mapped header-first: the 36-byte header gives the length,
// and only then is the whole table mapped and checksummed. A table that
// fails is logged and skipped; only an unusable RSDP or root table fails the
// whole parse. When an XSDT is present it is preferred (64-bit pointers);
// if it is broken the RSDT is used instead.
#include <kernel/acpi/Acpi.h>
#include <kernel/acpi/Structures.h>
#include <kernel/log/Log.h>

namespace acpi {

namespace {

using layout::load;

// Far above any real table (QEMU's DSDT is ~8 KiB, large servers' ~1 MiB);
// it keeps a corrupt length from making us checksum gigabytes.
constexpr u32 MAX_TABLE_LENGTH = 16 * MiB;

void copy_printable(char* out, const char* in, usize length)
{
    for (usize i = 0; i < length; ++i) {
        char c = in[i];
        out[i] = (c >= 0x20 && c < 0x7f) ? c : '?';
    }
    out[length] = '\0';
}

// OEM IDs are space-padded (sometimes NUL-padded) to six characters.
void copy_oem_id(char (&out)[7], const char (&in)[6])
{
    usize length = 6;
    while (length > 0 && (in[length - 1] == ' ' || in[length - 1] == '\0'))
        --length;
    copy_printable(out, in, length);
}

bool signature_is(const layout::SdtHeader& header, StringView signature)
{
    return StringView(header.signature, 4) == signature;
}

void record_table(Info& out, PhysAddr address, ReadonlyBytes table)
{
    for (usize i = 0; i < out.table_count; ++i) {
        if (out.tables[i].address == address)
            return; // listed twice (e.g. an XSDT entry repeated): keep one record
    }
    if (out.table_count == Info::MAX_TABLES) {
        ++out.dropped_table_count;
        return;
    }
    auto header = load<layout::SdtHeader>(table.data());
    TableInfo& info = out.tables[out.table_count++];
    copy_printable(info.signature, header.signature, 4);
    copy_oem_id(info.oem_id, header.oem_id);
    info.address = address;
    info.length = header.length;
    info.revision = header.revision;
}

void decode_table(Info& out, PhysAddr address, ReadonlyBytes table)
{
    auto header = load<layout::SdtHeader>(table.data());
    if (signature_is(header, "APIC") && !out.has_madt) {
        auto result = parse_madt(table, out.madt);
        out.has_madt = !result.is_error();
        if (result.is_error())
            klog::warn("acpi: MADT at {:#x} unusable: {}", address, result.error());
    } else if (signature_is(header, "HPET") && !out.has_hpet) {
        auto result = parse_hpet(table, out.hpet);
        out.has_hpet = !result.is_error();
        if (result.is_error())
            klog::warn("acpi: HPET table at {:#x} unusable: {}", address, result.error());
    } else if (signature_is(header, "MCFG") && !out.has_mcfg) {
        auto result = parse_mcfg(table, out.mcfg);
        out.has_mcfg = !result.is_error();
        if (result.is_error())
            klog::warn("acpi: MCFG at {:#x} unusable: {}", address, result.error());
    }
}

void visit_table(Info& out, PhysicalMemory& memory, PhysAddr address)
{
    auto mapped = map_table(memory, address);
    if (mapped.is_error()) {
        klog::warn("acpi: skipping table at {:#x}: {}", address, mapped.error());
        ++out.rejected_table_count;
        return;
    }
    ReadonlyBytes table = mapped.value();
    record_table(out, address, table);
    decode_table(out, address, table);

    // The FADT points at the DSDT, which no root table lists (5.2.9), and
    // names the RTC's century register.
    auto header = load<layout::SdtHeader>(table.data());
    if (signature_is(header, "FACP")) {
        if (table.size() > layout::FADT_CENTURY_OFFSET)
            out.rtc_century_register = table.data()[layout::FADT_CENTURY_OFFSET];
        PhysAddr dsdt = 0;
        if (table.size() >= layout::FADT_X_DSDT_OFFSET + 8)
            dsdt = load<u64>(table.data() + layout::FADT_X_DSDT_OFFSET);
        if (dsdt == 0 && table.size() >= layout::FADT_DSDT_OFFSET + 4)
            dsdt = load<u32>(table.data() + layout::FADT_DSDT_OFFSET);
        if (dsdt != 0) {
            auto dsdt_table = map_table(memory, dsdt);
            if (dsdt_table.is_error()) {
                klog::warn("acpi: skipping DSDT at {:#x}: {}", dsdt, dsdt_table.error());
                ++out.rejected_table_count;
            } else {
                record_table(out, dsdt, dsdt_table.value());
            }
        }
    }
}

// Walks the root table's pointer array: 4-byte entries for the RSDT, 8-byte for the XSDT.
ErrorOr<void> walk_root(Info& out, PhysicalMemory& memory, PhysAddr address, bool is_xsdt)
{
    ReadonlyBytes root = TRY(map_table(memory, address));
    auto header = load<layout::SdtHeader>(root.data());
    if (!signature_is(header, is_xsdt ? "XSDT" : "RSDT"))
        return Error::from_errno(EINVAL);

    out.uses_xsdt = is_xsdt;
    record_table(out, address, root);
    usize entry_size = is_xsdt ? 8 : 4;
    usize entries = (root.size() - sizeof(layout::SdtHeader)) / entry_size;
    for (usize i = 0; i < entries; ++i) {
        const u8* entry = root.data() + sizeof(layout::SdtHeader) + i * entry_size;
        PhysAddr table = is_xsdt ? load<u64>(entry) : load<u32>(entry);
        if (table == 0) {
            ++out.rejected_table_count;
            continue;
        }
        visit_table(out, memory, table);
    }
    return {};
}

Info s_info;
bool s_initialized = false;

} // namespace

bool checksum_ok(ReadonlyBytes bytes)
{
    u8 sum = 0;
    for (u8 byte : bytes)
        sum = static_cast<u8>(sum + byte);
    return sum == 0;
}

ErrorOr<void> validate_rsdp(ReadonlyBytes rsdp)
{
    if (rsdp.size() < layout::RSDP_V1_SIZE)
        return Error::from_errno(EINVAL);
    if (StringView(reinterpret_cast<const char*>(rsdp.data()), 8) != "RSD PTR ")
        return Error::from_errno(EINVAL);
    if (!checksum_ok(rsdp.slice(0, layout::RSDP_V1_SIZE)))
        return Error::from_errno(EINVAL);
    // A revision >= 2 RSDP copied as its first 20 bytes only (Multiboot2 tag
    // 14 on an ACPI 2.0+ machine) is still a good ACPI 1.0 RSDP.
    u8 revision = rsdp[15];
    if (revision < 2 || rsdp.size() < sizeof(layout::Rsdp))
        return {};
    auto full = load<layout::Rsdp>(rsdp.data());
    if (full.length < sizeof(layout::Rsdp) || full.length > rsdp.size())
        return Error::from_errno(EINVAL);
    if (!checksum_ok(rsdp.slice(0, full.length)))
        return Error::from_errno(EINVAL);
    return {};
}

ErrorOr<ReadonlyBytes> map_table(PhysicalMemory& memory, PhysAddr address)
{
    const u8* header_bytes = memory.map(address, sizeof(layout::SdtHeader));
    if (!header_bytes)
        return Error::from_errno(EFAULT);
    auto header = load<layout::SdtHeader>(header_bytes);
    if (header.length < sizeof(layout::SdtHeader) || header.length > MAX_TABLE_LENGTH)
        return Error::from_errno(EINVAL);
    const u8* bytes = memory.map(address, header.length);
    if (!bytes)
        return Error::from_errno(EFAULT);
    ReadonlyBytes table { bytes, header.length };
    if (!checksum_ok(table))
        return Error::from_errno(EINVAL);
    return table;
}

ErrorOr<void> parse(ReadonlyBytes rsdp_bytes, PhysicalMemory& memory, Info& out)
{
    __builtin_memset(&out, 0, sizeof(out));
    TRY(validate_rsdp(rsdp_bytes));
    auto rsdp = layout::Rsdp {};
    __builtin_memcpy(&rsdp, rsdp_bytes.data(), min(rsdp_bytes.size(), sizeof(rsdp)));
    out.rsdp_revision = rsdp.revision;
    copy_oem_id(out.oem_id, rsdp.oem_id);

    bool has_xsdt = rsdp.revision >= 2 && rsdp_bytes.size() >= sizeof(layout::Rsdp) && rsdp.xsdt_address != 0;
    if (has_xsdt) {
        auto result = walk_root(out, memory, rsdp.xsdt_address, true);
        if (!result.is_error())
            return {};
        klog::warn("acpi: XSDT at {:#x} unusable ({}), trying the RSDT", rsdp.xsdt_address, result.error());
        ++out.rejected_table_count;
    }
    if (rsdp.rsdt_address == 0)
        return Error::from_errno(EINVAL);
    auto result = walk_root(out, memory, rsdp.rsdt_address, false);
    if (result.is_error())
        klog::warn("acpi: RSDT at {:#x} unusable: {}", rsdp.rsdt_address, result.error());
    return result;
}

const TableInfo* Info::find_table(StringView signature) const
{
    for (usize i = 0; i < table_count; ++i) {
        if (tables[i].signature_view() == signature)
            return &tables[i];
    }
    return nullptr;
}

ErrorOr<void> init(ReadonlyBytes rsdp, PhysicalMemory& memory)
{
    s_initialized = false;
    TRY(parse(rsdp, memory, s_info));
    s_initialized = true;
    return {};
}

const Info* info()
{
    return s_initialized ? &s_info : nullptr;
}

} // namespace acpi
