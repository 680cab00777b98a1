// kshell commands for memory: `meminfo` (frame allocator counts), `memmap`
// (the boot memory map), `benchframes` (in-kernel frame allocator speed in
// TSC cycles) and `vmcheck` (a self-test of the kernel page tables). The
// meminfo and memmap formats are agreed with the system tests.
#include <kernel/arch/x86_64/Io.h>
#include <kernel/console/Console.h>
#include <kernel/kshell/Bench.h>
#include <kernel/kshell/Command.h>
#include <kernel/mm/Layout.h>
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
        console::print("{:#018x}-{:#018x} {} {} KiB\n", region.base, region.base + (region.length - 1),
            type_name(region.type), region.length / KiB);
    }
}
KSHELL_COMMAND("memmap", "the boot memory map", memmap);

constexpr usize BENCH_PAIRS = 100000;
constexpr usize BENCH_BATCH = 1024;
constexpr usize BENCH_ROUNDS = 100;
PhysAddr s_batch[BENCH_BATCH];

void report(StringView what, usize operations, u64 cycles)
{
    console::print(
        "benchframes: {}: {} ops, {} TSC cycles, {} cycles/op\n", what, operations, cycles, cycles / operations);
    kshell::print_bench(what, operations, cycles);
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

bool check(bool condition, StringView what)
{
    if (!condition)
        console::print("vmcheck: FAILED: {}\n", what);
    return condition;
}

bool has(const ErrorOr<mm::Translation>& translation, mm::PageFlags flags)
{
    return !translation.is_error() && mm::has_flag(translation.value().flags, flags);
}

// Checks the live kernel page tables: image permissions, the identity map
// gone, the direct map, map_mmio, a kernel stack with its guard page and a
// user address space.
void vmcheck(kshell::Arguments)
{
    bool ok = true;
    auto text = mm::query_kernel(reinterpret_cast<VirtAddr>(&vmcheck));
    ok &= check(!text.is_error() && !has(text, mm::PageFlags::Writable) && !has(text, mm::PageFlags::NoExecute),
        "text is read-only and executable");
    ok &= check(has(text, mm::PageFlags::Global), "text is global");
    auto rodata = mm::query_kernel(reinterpret_cast<VirtAddr>("vmcheck"));
    ok &= check(!rodata.is_error() && !has(rodata, mm::PageFlags::Writable)
            && has(rodata, mm::PageFlags::NoExecute) == mm::paging_features().no_execute,
        "rodata is read-only and not executable");
    auto data = mm::query_kernel(reinterpret_cast<VirtAddr>(&s_batch));
    ok &= check(
        has(data, mm::PageFlags::Writable) && has(data, mm::PageFlags::NoExecute) == mm::paging_features().no_execute,
        "bss is writable and not executable");
    ok &= check(data.value_or({}).physical == mm::kernel_virt_to_phys(&s_batch), "image maps to its physical address");

    mm::PageTable kernel(mm::kernel_page_table_memory(), mm::kernel_root(), mm::paging_features());
    ok &= check(kernel.query(0x100000).is_error(), "identity map is gone");
    auto low = mm::query_kernel(mm::DIRECT_MAP_BASE + 0x100000);
    ok &= check(!low.is_error() && !has(low, mm::PageFlags::CacheDisable), "RAM is direct-mapped write-back");
    auto lapic = mm::query_kernel(mm::DIRECT_MAP_BASE + 0xfee00000);
    ok &= check(has(lapic, mm::UNCACHED), "the LAPIC page is direct-mapped uncached");

    auto mmio = mm::map_mmio(0xfed00010, 0x2000);
    ok &= check(!mmio.is_error() && mmio.value() % PAGE_SIZE == 0x10, "map_mmio keeps the offset");
    if (!mmio.is_error()) {
        auto mapped = mm::query_kernel(mmio.value());
        ok &= check(has(mapped, mm::UNCACHED) && mapped.value().physical == 0xfed00010, "map_mmio maps uncached");
        ok &= check(!mm::query_kernel(mmio.value() + 0x2000).is_error(), "map_mmio covers the partial last page");
        ok &= check(!mm::unmap_mmio(mmio.value(), 0x2000).is_error(), "unmap_mmio");
        ok &= check(mm::query_kernel(mmio.value()).is_error(), "unmap_mmio removes the mapping");
    }
    ok &= check(mm::map_mmio(0x100000, PAGE_SIZE).is_error(), "map_mmio refuses RAM");

    auto before = mm::frame_stats();
    constexpr usize STACK_PAGES = 4;
    constexpr auto STACK_WORDS = static_cast<isize>(STACK_PAGES * PAGE_SIZE / sizeof(u64));
    auto stack = mm::allocate_kernel_stack(STACK_PAGES);
    ok &= check(!stack.is_error(), "allocate_kernel_stack");
    if (!stack.is_error()) {
        auto* top = reinterpret_cast<u64*>(stack.value());
        top[-1] = 0x1234;
        top[-STACK_WORDS] = 0x5678; // the lowest word of the stack
        ok &= check(top[-1] == 0x1234 && top[-STACK_WORDS] == 0x5678, "the stack is writable");
        VirtAddr guard = stack.value() - (STACK_PAGES + 1) * PAGE_SIZE;
        ok &= check(mm::query_kernel(guard).is_error(), "a guard page lies below the stack");
        ok &= check(!mm::free_kernel_stack(stack.value()).is_error(), "free_kernel_stack");
        ok &= check(mm::query_kernel(stack.value() - PAGE_SIZE).is_error(), "the freed stack is unmapped");
        ok &= check(mm::free_kernel_stack(stack.value()).is_error(), "a second free_kernel_stack is refused");
    }
    ok &= check(mm::frame_stats().free == before.free, "stack frames are returned");

    // A user address space: the kernel keeps running on it (shared upper
    // half) and sees the user page through it.
    mm::AddressSpace space;
    auto frame = mm::allocate_frame();
    ok &= check(!frame.is_error() && !mm::create_address_space(space).is_error(), "create_address_space");
    if (!frame.is_error() && space.is_created()) {
        constexpr VirtAddr USER_PAGE = 0x400000;
        *mm::phys_to_virt<u64>(frame.value()) = 0xfeedface;
        ok &= check(!space.map(USER_PAGE, frame.value(), PAGE_SIZE, mm::PageFlags::Present | mm::PageFlags::NoExecute)
                         .is_error(),
            "map a user page");
        mm::activate(&space);
        ok &= check(x86::read_cr3() == space.root(), "activate loads CR3");
        constexpr u64 CR4_SMAP = u64(1) << 21; // with SMAP on, ring 0 may not read user pages
        if (!(x86::read_cr4() & CR4_SMAP))
            ok &= check(*reinterpret_cast<volatile u64*>(USER_PAGE) == 0xfeedface, "the user page is visible");
        mm::activate(nullptr);
        ok &= check(x86::read_cr3() == mm::kernel_root(), "activate(nullptr) restores the kernel tables");
        space.destroy(mm::MappedFrames::Free, mm::release_frames);
    }
    ok &= check(mm::frame_stats().free == before.free, "address space frames are returned");
    console::print("vmcheck: {}\n", ok ? "ok" : "FAILED");
}
KSHELL_COMMAND("vmcheck", "self-test of the kernel page tables", vmcheck);

} // namespace
