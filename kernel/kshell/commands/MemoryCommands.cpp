// kshell commands for physical memory: `meminfo` (frame allocator counts),
// `memmap` (the boot memory map) and `benchframes` (in-kernel frame
// allocator speed in TSC cycles). Output formats are fixed in
// docs/BRIEF-FORMATS (system tests match them).
#include <kernel/arch/x86_64/Io.h>
#include <kernel/console/Console.h>
#include <kernel/kshell/Command.h>
#include <kernel/mm/MemoryManager.h>

namespace {

constexpr usize KIB_PER_FRAME = PAGE_SIZE / KiB;

void meminfo(kshell::Arguments)
{
    mm::FrameStats stats = mm::frame_stats();
    console::print("total:     {} KiB\n", stats.total * KIB_PER_FRAME);
    console::print("free:      {} KiB\n", stats.free * KIB_PER_FRAME);
    console::print("used:      {} KiB\n", stats.used * KIB_PER_FRAME);
    console::print("reserved:  {} KiB\n", stats.reserved * KIB_PER_FRAME);
}
KSHELL_COMMAND("meminfo", "physical memory statistics", meminfo);

StringView type_name(boot::MemoryType type)
{
    switch (type) {
    case boot::MemoryType::Usable:
        return "usable";
    case boot::MemoryType::Reserved:
        return "reserved";
    case boot::MemoryType::AcpiReclaimable:
        return "acpi-reclaimable";
    case boot::MemoryType::AcpiNvs:
        return "acpi-nvs";
    case boot::MemoryType::Bad:
        return "bad";
    }
    return "reserved";
}

// One line per region: "<base>-<last byte, inclusive> <type> <size> KiB".
void memmap(kshell::Arguments)
{
    for (const auto& region : mm::boot_memory_map()) {
        console::print("{:#018x}-{:#018x} {} {} KiB\n", region.base, region.base + (region.length - 1), type_name(region.type),
            region.length / KiB);
    }
}
KSHELL_COMMAND("memmap", "the boot memory map", memmap);

constexpr usize BENCH_PAIRS = 100000;
constexpr usize BENCH_BATCH = 1024;
constexpr usize BENCH_ROUNDS = 100;
PhysAddr s_batch[BENCH_BATCH];

void report(StringView what, usize operations, u64 cycles)
{
    console::print("benchframes: {}: {} ops, {} TSC cycles, {} cycles/op\n", what, operations, cycles, cycles / operations);
}

// Allocate+free pairs (the hot path: the hint makes each a one-word scan),
// then batches that allocate 1024 frames before freeing them.
void benchframes(kshell::Arguments)
{
    u64 start = x86::read_tsc();
    for (usize i = 0; i < BENCH_PAIRS; ++i) {
        auto frame = mm::allocate_frame();
        if (frame.is_error()) {
            console::print("benchframes: allocate_frame failed: {}\n", frame.error());
            return;
        }
        (void)mm::free_frame(frame.value());
    }
    report("allocate_frame+free_frame pairs", BENCH_PAIRS, x86::read_tsc() - start);

    start = x86::read_tsc();
    for (usize round = 0; round < BENCH_ROUNDS; ++round) {
        usize taken = 0;
        for (; taken < BENCH_BATCH; ++taken) {
            auto frame = mm::allocate_frame();
            if (frame.is_error())
                break;
            s_batch[taken] = frame.value();
        }
        for (usize i = 0; i < taken; ++i)
            (void)mm::free_frame(s_batch[i]);
        if (taken < BENCH_BATCH) {
            console::print("benchframes: out of frames after {}\n", taken);
            return;
        }
    }
    report("batches of 1024 allocations then frees", BENCH_ROUNDS * BENCH_BATCH * 2, x86::read_tsc() - start);

    start = x86::read_tsc();
    for (usize i = 0; i < BENCH_PAIRS / 10; ++i) {
        auto run = mm::allocate_frames(16);
        if (run.is_error()) {
            console::print("benchframes: allocate_frames(16) failed: {}\n", run.error());
            return;
        }
        (void)mm::free_frames(run.value(), 16);
    }
    report("allocate_frames(16)+free_frames pairs", BENCH_PAIRS / 10, x86::read_tsc() - start);
}
KSHELL_COMMAND("benchframes", "measure frame allocator speed (TSC cycles)", benchframes);

} // namespace
