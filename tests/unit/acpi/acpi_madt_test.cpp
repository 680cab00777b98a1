// MADT, HPET and MCFG decoding, including malformed entries, and ISA IRQ
// routing through interrupt source overrides.
#include "AcpiBuilder.h"
#include <gtest/gtest.h>
#include <memory>

using namespace acpi_test;

namespace {

ReadonlyBytes view(const std::vector<u8>& v)
{
    return { v.data(), v.size() };
}

std::unique_ptr<acpi::Madt> parse_madt(const std::vector<u8>& table)
{
    auto madt = std::make_unique<acpi::Madt>();
    EXPECT_FALSE(acpi::parse_madt(view(table), *madt).is_error());
    return madt;
}

TableBuilder madt_header()
{
    TableBuilder madt("APIC");
    madt.u32le(0xfee00000).u32le(0);
    return madt;
}

TEST(AcpiMadt, DecodesQemuLikeTable)
{
    auto madt = parse_madt(make_qemu_like_madt());
    EXPECT_EQ(madt->local_apic_address, 0xfee00000u);
    EXPECT_TRUE(madt->pcat_compatible);
    EXPECT_FALSE(madt->malformed);
    ASSERT_EQ(madt->processor_count, 1u); // the disabled CPU is not listed
    EXPECT_EQ(madt->disabled_processor_count, 1u);
    EXPECT_EQ(madt->processors[0].apic_id, 0u);
    EXPECT_FALSE(madt->processors[0].x2apic);
    ASSERT_EQ(madt->io_apic_count, 1u);
    EXPECT_EQ(madt->io_apics[0].address, 0xfec00000u);
    EXPECT_EQ(madt->io_apics[0].gsi_base, 0u);
    ASSERT_EQ(madt->override_count, 3u);
    EXPECT_EQ(madt->overrides[0].source, 0);
    EXPECT_EQ(madt->overrides[0].gsi, 2u);
    EXPECT_EQ(madt->overrides[0].polarity, acpi::Polarity::BusDefault);
    EXPECT_EQ(madt->overrides[1].trigger, acpi::TriggerMode::Level);
    EXPECT_EQ(madt->overrides[1].polarity, acpi::Polarity::ActiveHigh);
    EXPECT_EQ(madt->overrides[2].polarity, acpi::Polarity::ActiveLow);
    ASSERT_EQ(madt->local_nmi_count, 1u);
    EXPECT_EQ(madt->local_nmis[0].processor_uid, acpi::LocalApicNmi::ALL_PROCESSORS);
    EXPECT_EQ(madt->local_nmis[0].lint, 1);
}

TEST(AcpiMadt, X2ApicNmiSourceAndAddressOverride)
{
    auto madt = madt_header();
    madt.bytes({ 9, 16, 0, 0 }).u32le(300).u32le(1).u32le(7);            // x2APIC id 300, uid 7
    madt.bytes({ 9, 16, 0, 0 }).u32le(301).u32le(0).u32le(8);            // disabled
    madt.bytes({ 3, 8 }).u16le(0x000d).u32le(20);                        // NMI source GSI 20, level, high
    madt.bytes({ 10, 12 }).u16le(0x0005).u32le(7).bytes({ 0, 0, 0, 0 }); // x2APIC LINT0 NMI for uid 7
    madt.bytes({ 5, 12, 0, 0 }).u64le(0x1fee00000ull);                   // LAPIC address override
    madt.bytes({ 0x7f, 5, 1, 2, 3 });                                    // unknown type: skipped
    madt.bytes({ 1, 12, 3, 0 }).u32le(0xfec01000).u32le(24);             // after it, still parsed
    auto parsed = parse_madt(madt.finish());
    EXPECT_FALSE(parsed->malformed);
    EXPECT_EQ(parsed->local_apic_address, 0x1fee00000ull);
    EXPECT_FALSE(parsed->pcat_compatible);
    ASSERT_EQ(parsed->processor_count, 1u);
    EXPECT_EQ(parsed->processors[0].apic_id, 300u);
    EXPECT_EQ(parsed->processors[0].processor_uid, 7u);
    EXPECT_TRUE(parsed->processors[0].x2apic);
    EXPECT_EQ(parsed->disabled_processor_count, 1u);
    ASSERT_EQ(parsed->nmi_source_count, 1u);
    EXPECT_EQ(parsed->nmi_sources[0].gsi, 20u);
    EXPECT_EQ(parsed->nmi_sources[0].trigger, acpi::TriggerMode::Level);
    ASSERT_EQ(parsed->local_nmi_count, 1u);
    EXPECT_EQ(parsed->local_nmis[0].processor_uid, 7u);
    EXPECT_EQ(parsed->local_nmis[0].lint, 0);
    EXPECT_EQ(parsed->local_nmis[0].trigger, acpi::TriggerMode::Edge);
    ASSERT_EQ(parsed->io_apic_count, 1u);
    EXPECT_EQ(parsed->io_apics[0].id, 3);
    EXPECT_EQ(parsed->io_apics[0].gsi_base, 24u);
}

TEST(AcpiMadt, ZeroLengthEntryStopsTheWalk)
{
    auto madt = madt_header();
    madt.bytes({ 0, 8, 0, 0 }).u32le(1);
    madt.bytes({ 1, 0 }); // length 0: would loop forever if trusted
    madt.bytes({ 0, 8, 1, 1 }).u32le(1);
    auto parsed = parse_madt(madt.finish());
    EXPECT_TRUE(parsed->malformed);
    EXPECT_EQ(parsed->processor_count, 1u);

    auto one = madt_header();
    one.bytes({ 0x42, 1, 0, 0 }); // length 1 is shorter than the entry header
    EXPECT_TRUE(parse_madt(one.finish())->malformed);
}

TEST(AcpiMadt, TruncatedEntriesAreNotRead)
{
    // An I/O APIC entry claiming 12 bytes with only 6 left in the table.
    auto runs_off = madt_header();
    runs_off.bytes({ 0, 8, 0, 0 }).u32le(1);
    runs_off.bytes({ 1, 12, 0, 0, 0, 0 });
    auto parsed = parse_madt(runs_off.finish());
    EXPECT_TRUE(parsed->malformed);
    EXPECT_EQ(parsed->io_apic_count, 0u);
    EXPECT_EQ(parsed->processor_count, 1u);

    // An override entry whose length is below its type's layout.
    auto short_entry = madt_header();
    short_entry.bytes({ 2, 6, 0, 0, 2, 0 });
    parsed = parse_madt(short_entry.finish());
    EXPECT_TRUE(parsed->malformed);
    EXPECT_EQ(parsed->override_count, 0u);

    // A single trailing byte after the last entry.
    auto trailing = madt_header();
    trailing.bytes({ 0, 8, 0, 0 }).u32le(1).bytes({ 0 });
    parsed = parse_madt(trailing.finish());
    EXPECT_TRUE(parsed->malformed);
    EXPECT_EQ(parsed->processor_count, 1u);

    // Too short for the MADT's own fixed part.
    auto header_only = TableBuilder("APIC").u32le(0xfee00000).finish();
    acpi::Madt madt {};
    EXPECT_EQ(acpi::parse_madt(view(header_only), madt).error().code(), EINVAL);
}

TEST(AcpiMadt, TooManyEntriesAreCountedNotOverflowed)
{
    auto madt = madt_header();
    for (usize i = 0; i < acpi::Madt::MAX_OVERRIDES + 3; ++i)
        madt.bytes({ 2, 10, 0, static_cast<u8>(i) }).u32le(static_cast<u32>(i)).u16le(0);
    auto parsed = parse_madt(madt.finish());
    EXPECT_EQ(parsed->override_count, acpi::Madt::MAX_OVERRIDES);
    EXPECT_EQ(parsed->dropped_entries, 3u);
    EXPECT_FALSE(parsed->malformed);
}

TEST(AcpiMadt, RoutesIsaIrqsThroughOverrides)
{
    auto madt = parse_madt(make_qemu_like_madt());
    auto timer = acpi::route_isa_irq(*madt, 0);
    EXPECT_EQ(timer.gsi, 2u);
    EXPECT_EQ(timer.polarity, acpi::Polarity::ActiveHigh); // bus default resolved to ISA's
    EXPECT_EQ(timer.trigger, acpi::TriggerMode::Edge);
    auto serial = acpi::route_isa_irq(*madt, 4);
    EXPECT_EQ(serial.gsi, 4u);
    EXPECT_EQ(serial.trigger, acpi::TriggerMode::Edge);
    auto sci = acpi::route_isa_irq(*madt, 9);
    EXPECT_EQ(sci.gsi, 9u);
    EXPECT_EQ(sci.trigger, acpi::TriggerMode::Level);
    EXPECT_EQ(sci.polarity, acpi::Polarity::ActiveHigh);
    auto eleven = acpi::route_isa_irq(*madt, 11);
    EXPECT_EQ(eleven.polarity, acpi::Polarity::ActiveLow);
}

TEST(AcpiHpet, DecodesTheTimerBlock)
{
    TableBuilder table("HPET");
    table.u32le(0x8086a201).bytes({ 0, 64, 0, 0 }).u64le(0xfed00000).bytes({ 0 }).u16le(128).bytes({ 0 });
    acpi::Hpet hpet {};
    ASSERT_FALSE(acpi::parse_hpet(view(table.finish()), hpet).is_error());
    EXPECT_EQ(hpet.base, 0xfed00000u);
    EXPECT_EQ(hpet.comparator_count, 3);
    EXPECT_TRUE(hpet.counter_64bit);
    EXPECT_TRUE(hpet.legacy_replacement_capable);
    EXPECT_EQ(hpet.pci_vendor_id, 0x8086);
    EXPECT_EQ(hpet.minimum_tick, 128);
}

TEST(AcpiHpet, RefusesIoSpaceAndShortTables)
{
    TableBuilder io("HPET");
    io.u32le(0x8086a201).bytes({ 1, 64, 0, 0 }).u64le(0x1000).bytes({ 0 }).u16le(128).bytes({ 0 });
    acpi::Hpet hpet {};
    EXPECT_EQ(acpi::parse_hpet(view(io.finish()), hpet).error().code(), EOPNOTSUPP);
    TableBuilder short_table("HPET");
    short_table.u32le(0x8086a201).bytes({ 0, 64, 0, 0 });
    EXPECT_EQ(acpi::parse_hpet(view(short_table.finish()), hpet).error().code(), EINVAL);
}

TEST(AcpiMcfg, DecodesSegmentsAndSkipsBadOnes)
{
    TableBuilder table("MCFG");
    table.u64le(0);
    table.u64le(0xb0000000).u16le(0).bytes({ 0, 255 }).u32le(0);
    table.u64le(0xc0000000).u16le(1).bytes({ 9, 3 }).u32le(0); // end bus < start bus
    table.u64le(0xd0000000).u16le(2).bytes({ 0, 63 }).u32le(0);
    table.bytes({ 1, 2, 3, 4, 5 }); // a partial trailing allocation
    auto mcfg = std::make_unique<acpi::Mcfg>();
    ASSERT_FALSE(acpi::parse_mcfg(view(table.finish()), *mcfg).is_error());
    ASSERT_EQ(mcfg->segment_count, 2u);
    EXPECT_EQ(mcfg->segments[0].base, 0xb0000000u);
    EXPECT_EQ(mcfg->segments[0].end_bus, 255);
    EXPECT_EQ(mcfg->segments[1].segment, 2);
    EXPECT_EQ(mcfg->segments[1].end_bus, 63);

    auto too_short = TableBuilder("MCFG").u32le(0).finish();
    EXPECT_EQ(acpi::parse_mcfg(view(too_short), *mcfg).error().code(), EINVAL);
}

} // namespace
