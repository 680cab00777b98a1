// The text the boot log and the kshell `acpi` command print, in the format
// agreed in BRIEF-FORMATS.
#include "AcpiBuilder.h"
#include <gtest/gtest.h>
#include <kernel/acpi/Report.h>
#include <memory>

using namespace acpi_test;

namespace {

std::vector<std::string> report_lines(const acpi::Info& info)
{
    std::vector<std::string> lines;
    acpi::report(
        info,
        [](StringView line, void* context) {
            static_cast<std::vector<std::string>*>(context)->emplace_back(line.characters(), line.length());
        },
        &lines);
    return lines;
}

TEST(AcpiReport, OneLinePerTableWithSummaries)
{
    FakeMemory memory;
    PhysAddr madt = memory.place(make_qemu_like_madt());
    TableBuilder hpet("HPET", 1, "BOCHS");
    hpet.u32le(0x8086a201).bytes({ 0, 64, 0, 0 }).u64le(0xfed00000).bytes({ 0 }).u16le(128).bytes({ 0 });
    PhysAddr hpet_address = memory.place(hpet.finish());
    TableBuilder mcfg("MCFG", 1, "");
    mcfg.u64le(0).u64le(0xb0000000).u16le(0).bytes({ 0, 255 }).u32le(0);
    PhysAddr mcfg_address = memory.place(mcfg.finish());
    TableBuilder xsdt("XSDT", 1, "BOCHS");
    xsdt.u64le(madt).u64le(hpet_address).u64le(mcfg_address);
    PhysAddr xsdt_address = memory.place(xsdt.finish());
    auto rsdp = make_rsdp(2, 0, xsdt_address);

    auto info = std::make_unique<acpi::Info>();
    ASSERT_FALSE(acpi::parse({ rsdp.data(), rsdp.size() }, memory, *info).is_error());
    auto lines = report_lines(*info);
    ASSERT_EQ(lines.size(), 7u);
    EXPECT_EQ(lines[0], "XSDT 0x00000000000e00e8 len 60 rev 1 oem BOCHS");
    EXPECT_EQ(lines[1], "APIC 0x00000000000e0000 len 108 rev 1 oem BOCHS");
    EXPECT_EQ(lines[2], "  cpus: 1 ioapics: 1 overrides: 3 nmi_sources: 0 local_nmis: 1 lapic: 0x00000000fee00000");
    EXPECT_EQ(lines[3], "HPET 0x00000000000e0070 len 56 rev 1 oem BOCHS");
    EXPECT_EQ(lines[4], "  base: 0x00000000fed00000 comparators: 3 counter: 64-bit min_tick: 128");
    EXPECT_EQ(lines[5], "MCFG 0x00000000000e00a8 len 60 rev 1 oem -"); // an all-blank OEM ID
    EXPECT_EQ(lines[6], "  segment: 0 base: 0x00000000b0000000 buses: 0-255");
}

} // namespace
