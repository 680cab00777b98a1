// Table discovery over crafted in-memory tables: RSDP validation, XSDT
// preference and RSDT fallback, checksum and length checks, and what gets
// recorded.
#include "AcpiBuilder.h"
#include <gtest/gtest.h>
#include <memory>

using namespace acpi_test;

namespace {

struct System {
    FakeMemory memory;
    PhysAddr madt {}, hpet {}, mcfg {}, facp {}, dsdt {};
    std::vector<PhysAddr> tables;

    System()
    {
        madt = memory.place(make_qemu_like_madt());
        TableBuilder hpet_table("HPET", 1, "BOCHS");
        hpet_table.u32le(0x8086a201).bytes({ 0, 64, 0, 0 }).u64le(0xfed00000).bytes({ 0 }).u16le(128).bytes({ 0 });
        hpet = memory.place(hpet_table.finish());
        TableBuilder mcfg_table("MCFG", 1, "BOCHS");
        mcfg_table.u64le(0).u64le(0xb0000000).u16le(0).bytes({ 0, 255 }).u32le(0);
        mcfg = memory.place(mcfg_table.finish());
        TableBuilder dsdt_table("DSDT", 1, "BOCHS");
        dsdt_table.bytes({ 0x10, 0x20, 0x30 });
        dsdt = memory.place(dsdt_table.finish());
        // A FADT just long enough to hold X_DSDT (offset 140), with the
        // 32-bit DSDT field pointing at the same table.
        TableBuilder facp_table("FACP", 6, "BOCHS");
        facp_table.zeros(148 - 36);
        auto facp_bytes = facp_table.finish();
        put_u32(facp_bytes, 40, static_cast<u32>(dsdt));
        put_u64(facp_bytes, 140, dsdt);
        facp_bytes[108] = 0x32; // CENTURY: the CMOS register QEMU and most PCs use
        facp_bytes[9] = 0;
        facp_bytes[9] = checksum_byte(facp_bytes, facp_bytes.size());
        facp = memory.place(facp_bytes);
        tables = { facp, madt, hpet, mcfg };
    }

    PhysAddr make_xsdt(const std::vector<PhysAddr>& entries)
    {
        TableBuilder xsdt("XSDT", 1, "BOCHS");
        for (PhysAddr a : entries)
            xsdt.u64le(a);
        return memory.place(xsdt.finish());
    }

    PhysAddr make_rsdt(const std::vector<PhysAddr>& entries)
    {
        TableBuilder rsdt("RSDT", 1, "BOCHS");
        for (PhysAddr a : entries)
            rsdt.u32le(static_cast<u32>(a));
        return memory.place(rsdt.finish());
    }
};

ReadonlyBytes view(const std::vector<u8>& v)
{
    return { v.data(), v.size() };
}

std::unique_ptr<acpi::Info> new_info()
{
    return std::make_unique<acpi::Info>();
}

TEST(AcpiRsdp, AcceptsGoodRevisions)
{
    EXPECT_FALSE(acpi::validate_rsdp(view(make_rsdp(0, 0x1000, 0))).is_error());
    EXPECT_FALSE(acpi::validate_rsdp(view(make_rsdp(2, 0x1000, 0x2000))).is_error());
}

TEST(AcpiRsdp, RejectsBadSignatureChecksumsAndLength)
{
    auto bad_signature = make_rsdp(0, 0x1000, 0);
    bad_signature[0] = 'X';
    bad_signature[8] = static_cast<u8>(bad_signature[8] - ('X' - 'R'));
    EXPECT_TRUE(acpi::checksum_ok(view(bad_signature).slice(0, 20)));
    EXPECT_EQ(acpi::validate_rsdp(view(bad_signature)).error().code(), EINVAL);

    auto bad_checksum = make_rsdp(0, 0x1000, 0);
    bad_checksum[8] ^= 1;
    EXPECT_TRUE(acpi::validate_rsdp(view(bad_checksum)).is_error());

    // Revision 2: the first 20 bytes are fine, the extended checksum is not.
    auto bad_extended = make_rsdp(2, 0x1000, 0x2000);
    bad_extended[32] ^= 1;
    EXPECT_TRUE(acpi::checksum_ok(view(bad_extended).slice(0, 20)));
    EXPECT_TRUE(acpi::validate_rsdp(view(bad_extended)).is_error());

    auto v2 = make_rsdp(2, 0x1000, 0x2000);
    EXPECT_TRUE(acpi::validate_rsdp(view(v2).slice(0, 19)).is_error());

    auto long_length = make_rsdp(2, 0x1000, 0x2000);
    put_u32(long_length, 20, 64); // claims more bytes than the copy holds
    long_length[32] = 0;
    long_length[32] = checksum_byte(long_length, 36);
    EXPECT_TRUE(acpi::validate_rsdp(view(long_length)).is_error());
}

TEST(AcpiTables, ParsesEverythingThroughTheXsdt)
{
    System system;
    PhysAddr xsdt = system.make_xsdt(system.tables);
    PhysAddr rsdt = system.make_rsdt({ system.madt });
    auto info = new_info();
    auto rsdp = make_rsdp(2, static_cast<u32>(rsdt), xsdt);
    ASSERT_FALSE(acpi::parse(view(rsdp), system.memory, *info).is_error());

    EXPECT_TRUE(info->uses_xsdt);
    EXPECT_EQ(info->rsdp_revision, 2);
    EXPECT_EQ(std::string(info->oem_id), "BOCHS");
    ASSERT_EQ(info->table_count, 6u); // XSDT, FACP, DSDT, APIC, HPET, MCFG
    EXPECT_EQ(info->rejected_table_count, 0u);
    const char* expected[] = { "XSDT", "FACP", "DSDT", "APIC", "HPET", "MCFG" };
    for (usize i = 0; i < 6; ++i)
        EXPECT_EQ(std::string(info->tables[i].signature), expected[i]) << i;
    EXPECT_EQ(info->tables[0].address, xsdt);
    EXPECT_EQ(std::string(info->tables[3].oem_id), "BOCHS");
    EXPECT_EQ(info->tables[1].revision, 6);
    EXPECT_EQ(info->tables[2].address, system.dsdt);
    EXPECT_EQ(info->tables[2].length, 39u);
    EXPECT_EQ(info->rtc_century_register, 0x32);
    ASSERT_NE(info->find_table("HPET"), nullptr);
    EXPECT_EQ(info->find_table("HPET")->address, system.hpet);
    EXPECT_EQ(info->find_table("SSDT"), nullptr);

    EXPECT_TRUE(info->has_madt);
    EXPECT_EQ(info->madt.processor_count, 1u);
    EXPECT_TRUE(info->has_hpet);
    EXPECT_EQ(info->hpet.base, 0xfed00000u);
    EXPECT_TRUE(info->has_mcfg);
    EXPECT_EQ(info->mcfg.segment_count, 1u);
}

TEST(AcpiTables, RevisionZeroUsesTheRsdt)
{
    System system;
    PhysAddr rsdt = system.make_rsdt({ system.madt, system.hpet });
    auto info = new_info();
    auto rsdp = make_rsdp(0, static_cast<u32>(rsdt), 0);
    ASSERT_FALSE(acpi::parse(view(rsdp), system.memory, *info).is_error());
    EXPECT_FALSE(info->uses_xsdt);
    ASSERT_EQ(info->table_count, 3u);
    EXPECT_EQ(std::string(info->tables[0].signature), "RSDT");
    EXPECT_TRUE(info->has_madt);
    EXPECT_TRUE(info->has_hpet);
    EXPECT_FALSE(info->has_mcfg);
}

TEST(AcpiTables, XsdtWithBadChecksumFallsBackToRsdt)
{
    System system;
    PhysAddr xsdt = system.make_xsdt(system.tables);
    system.memory.at(xsdt)[9] ^= 0x55;
    PhysAddr rsdt = system.make_rsdt({ system.madt });
    auto info = new_info();
    auto rsdp = make_rsdp(2, static_cast<u32>(rsdt), xsdt);
    ASSERT_FALSE(acpi::parse(view(rsdp), system.memory, *info).is_error());
    EXPECT_FALSE(info->uses_xsdt);
    EXPECT_EQ(info->table_count, 2u);
    EXPECT_EQ(info->rejected_table_count, 1u);
    EXPECT_TRUE(info->has_madt);
    EXPECT_FALSE(info->has_hpet);
}

TEST(AcpiTables, XsdtOutsideTheMappedRangeFallsBackToRsdt)
{
    System system;
    PhysAddr rsdt = system.make_rsdt({ system.hpet });
    auto info = new_info();
    auto rsdp = make_rsdp(2, static_cast<u32>(rsdt), 0x7fff0000000ull);
    ASSERT_FALSE(acpi::parse(view(rsdp), system.memory, *info).is_error());
    EXPECT_FALSE(info->uses_xsdt);
    EXPECT_TRUE(info->has_hpet);

    // Straddling the end of the mapped range is just as unreachable.
    auto rsdp2 = make_rsdp(2, 0, system.memory.end() - 8);
    EXPECT_EQ(acpi::parse(view(rsdp2), system.memory, *info).error().code(), EINVAL);
}

TEST(AcpiTables, RevisionTwoRsdpCutToTwentyBytesUsesTheRsdt)
{
    // What a loader passing only the old-RSDP tag gives on an ACPI 2.0+ machine.
    System system;
    PhysAddr xsdt = system.make_xsdt(system.tables);
    PhysAddr rsdt = system.make_rsdt({ system.madt });
    auto rsdp = make_rsdp(2, static_cast<u32>(rsdt), xsdt);
    rsdp.resize(20);
    auto info = new_info();
    ASSERT_FALSE(acpi::parse(view(rsdp), system.memory, *info).is_error());
    EXPECT_FALSE(info->uses_xsdt);
    EXPECT_EQ(info->table_count, 2u);
}

TEST(AcpiTables, RootWithWrongSignatureIsRefused)
{
    System system;
    PhysAddr not_root = system.hpet; // a valid table, but not an RSDT
    auto info = new_info();
    auto rsdp = make_rsdp(0, static_cast<u32>(not_root), 0);
    EXPECT_EQ(acpi::parse(view(rsdp), system.memory, *info).error().code(), EINVAL);
}

TEST(AcpiTables, BadTablesAreSkippedAndTheRestParsed)
{
    System system;
    system.memory.at(system.hpet)[20] ^= 0xff; // break the HPET checksum

    // A table whose length runs past the end of mapped memory.
    auto runaway_bytes = TableBuilder("SSDT").finish();
    put_u32(runaway_bytes, 4, 4096);
    PhysAddr runaway_address = system.memory.end() - 64;
    std::memcpy(system.memory.at(runaway_address), runaway_bytes.data(), runaway_bytes.size());

    // A table claiming to be shorter than its own header.
    TableBuilder tiny("BOOT");
    auto tiny_bytes = tiny.finish();
    put_u32(tiny_bytes, 4, 20);
    PhysAddr tiny_address = system.memory.place(tiny_bytes);

    PhysAddr xsdt = system.make_xsdt(
        { system.hpet, runaway_address, tiny_address, 0, 0xffffffff00000000ull, system.madt, system.mcfg });
    auto info = new_info();
    auto rsdp = make_rsdp(2, 0, xsdt);
    ASSERT_FALSE(acpi::parse(view(rsdp), system.memory, *info).is_error());
    EXPECT_TRUE(info->uses_xsdt);
    EXPECT_EQ(info->rejected_table_count, 5u);
    EXPECT_FALSE(info->has_hpet);
    EXPECT_TRUE(info->has_madt);
    EXPECT_TRUE(info->has_mcfg);
    ASSERT_EQ(info->table_count, 3u);
    EXPECT_EQ(info->find_table("SSDT"), nullptr);
    EXPECT_EQ(info->find_table("BOOT"), nullptr);
}

TEST(AcpiTables, MapTableReportsWhy)
{
    System system;
    EXPECT_EQ(acpi::map_table(system.memory, 0x1000).error().code(), EFAULT);
    auto ok = acpi::map_table(system.memory, system.madt);
    ASSERT_FALSE(ok.is_error());
    EXPECT_EQ(ok.value().size(), make_qemu_like_madt().size());
    system.memory.at(system.madt)[40] ^= 1;
    EXPECT_EQ(acpi::map_table(system.memory, system.madt).error().code(), EINVAL);
}

TEST(AcpiTables, DuplicateEntriesAreRecordedOnce)
{
    System system;
    PhysAddr xsdt = system.make_xsdt({ system.madt, system.madt, system.hpet });
    auto info = new_info();
    auto rsdp = make_rsdp(2, 0, xsdt);
    ASSERT_FALSE(acpi::parse(view(rsdp), system.memory, *info).is_error());
    EXPECT_EQ(info->table_count, 3u);
}

TEST(AcpiTables, InitPublishesInfo)
{
    System system;
    PhysAddr xsdt = system.make_xsdt(system.tables);
    auto bad = make_rsdp(2, 0, xsdt);
    bad[8] ^= 1;
    EXPECT_TRUE(acpi::init(view(bad), system.memory).is_error());
    EXPECT_EQ(acpi::info(), nullptr);
    auto rsdp = make_rsdp(2, 0, xsdt);
    ASSERT_FALSE(acpi::init(view(rsdp), system.memory).is_error());
    ASSERT_NE(acpi::info(), nullptr);
    EXPECT_TRUE(acpi::info()->has_madt);
}

} // namespace
