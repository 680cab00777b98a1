// Formats each line into a stack buffer and hands it out, so the caller
// decides where it goes (console, log) and nothing allocates.
#include <kernel/acpi/Report.h>
#include <kernel/lib/Format.h>
#include <kernel/log/Log.h>

namespace acpi {

namespace {

constexpr usize LINE_SIZE = 160;

using Emit = void (*)(StringView, void*);

void summarize_madt(const Madt& madt, Emit emit, void* context)
{
    char line[LINE_SIZE];
    usize length = format_to(line, sizeof(line),
        "  cpus: {} ioapics: {} overrides: {} nmi_sources: {} local_nmis: {} lapic: {:#018x}", madt.processor_count,
        madt.io_apic_count, madt.override_count, madt.nmi_source_count, madt.local_nmi_count, madt.local_apic_address);
    emit({ line, length }, context);
}

void summarize_hpet(const Hpet& hpet, Emit emit, void* context)
{
    char line[LINE_SIZE];
    usize length = format_to(line, sizeof(line), "  base: {:#018x} comparators: {} counter: {}-bit min_tick: {}",
        hpet.base, hpet.comparator_count, hpet.counter_64bit ? 64 : 32, hpet.minimum_tick);
    emit({ line, length }, context);
}

void summarize_mcfg(const Mcfg& mcfg, Emit emit, void* context)
{
    char line[LINE_SIZE];
    if (mcfg.segment_count == 0) {
        usize length = format_to(line, sizeof(line), "  segments: 0");
        emit({ line, length }, context);
    }
    for (usize i = 0; i < mcfg.segment_count; ++i) {
        const McfgSegment& segment = mcfg.segments[i];
        usize length = format_to(line, sizeof(line), "  segment: {} base: {:#018x} buses: {}-{}", segment.segment,
            segment.base, segment.start_bus, segment.end_bus);
        emit({ line, length }, context);
    }
}

} // namespace

void report(const Info& info, Emit emit, void* context)
{
    bool madt_done = false, hpet_done = false, mcfg_done = false;
    for (usize i = 0; i < info.table_count; ++i) {
        const TableInfo& table = info.tables[i];
        char line[LINE_SIZE];
        StringView oem = table.oem_id_view().is_empty() ? StringView("-") : table.oem_id_view();
        usize length = format_to(line, sizeof(line), "{} {:#018x} len {} rev {} oem {}", table.signature_view(),
            table.address, table.length, table.revision, oem);
        emit({ line, length }, context);

        // The summary follows the first table of each kind, the one decoded.
        StringView signature = table.signature_view();
        if (signature == "APIC" && info.has_madt && !madt_done) {
            summarize_madt(info.madt, emit, context);
            madt_done = true;
        } else if (signature == "HPET" && info.has_hpet && !hpet_done) {
            summarize_hpet(info.hpet, emit, context);
            hpet_done = true;
        } else if (signature == "MCFG" && info.has_mcfg && !mcfg_done) {
            summarize_mcfg(info.mcfg, emit, context);
            mcfg_done = true;
        }
    }
}

void log_report(const Info& info)
{
    klog::info("acpi: revision {} OEM '{}', {} tables via the {} ({} rejected)", info.rsdp_revision, info.oem_id,
        info.table_count, info.uses_xsdt ? "XSDT" : "RSDT", info.rejected_table_count);
    report(
        info, [](StringView line, void*) { klog::info("acpi: {}", line); }, nullptr);
}

} // namespace acpi
