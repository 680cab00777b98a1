// kshell commands for the kernel heap:
//   heapstat             the heap's counters, then one line per slab cache
//   benchheap [count]    cycles per kmalloc(64)/kfree, measured with the TSC
// Output formats are fixed in BRIEF-FORMATS (system tests parse them).
#include <kernel/arch/x86_64/Io.h>
#include <kernel/console/Console.h>
#include <kernel/kshell/Bench.h>
#include <kernel/kshell/Command.h>
#include <kernel/mm/Heap.h>

namespace kshell {

namespace {

void heapstat(Arguments)
{
    mm::HeapStats stats = mm::heap_stats();
    console::print("allocated_bytes: {}\n", stats.allocated_bytes);
    console::print("live_allocations: {}\n", stats.live_allocations);
    console::print("total_allocations: {}\n", stats.total_allocations);
    console::print("total_frees: {}\n", stats.total_frees);
    console::print("failed_allocations: {}\n", stats.failed_allocations);
    console::print("invalid_frees: {}\n", stats.invalid_frees);
    console::print("pages: {}\n", stats.pages);
    console::print("free_pages: {}\n", stats.free_pages);
    console::print("zones: {}\n", stats.zones);
    console::print("large_allocations: {}\n", stats.large_allocations);
    for (const mm::SlabCacheStats& cache : stats.caches) {
        console::print("slab-{}: in_use {} slabs {} empty {} per_slab {} order {} allocations {}\n", cache.object_size,
            cache.objects_in_use, cache.slabs, cache.empty_slabs, cache.objects_per_slab, cache.slab_order,
            cache.allocations);
    }
}
KSHELL_COMMAND("heapstat", "kernel heap statistics", heapstat);

constexpr usize BENCH_OBJECT_SIZE = 64;
constexpr usize BENCH_BATCH = 1024;
constexpr u64 BENCH_DEFAULT_OPERATIONS = 100000;

// Holds a batch of live objects (in .bss, not on the kshell stack).
void* s_batch[BENCH_BATCH];

void print_rate(StringView what, u64 operations, u64 cycles)
{
    u64 tenths = operations ? cycles * 10 / operations : 0;
    console::print(
        "benchheap: {}: {}.{} cycles/op ({} ops, {} cycles)\n", what, tenths / 10, tenths % 10, operations, cycles);
    kshell::print_bench(what, operations, cycles);
}

void benchheap(Arguments args)
{
    u64 operations = BENCH_DEFAULT_OPERATIONS;
    if (args.size() > 1 && (!args[1].to_u64(operations) || operations == 0)) {
        console::print("usage: benchheap [operations]\n");
        return;
    }

    // Warm up: the first allocation may grow the heap and build a slab.
    void* warm = kmalloc(BENCH_OBJECT_SIZE);
    if (!warm) {
        console::print("benchheap: kmalloc({}) failed\n", BENCH_OBJECT_SIZE);
        return;
    }
    kfree(warm);

    // Pairs: the same object goes out and comes back (the fast path).
    u64 start = x86::read_tsc();
    for (u64 i = 0; i < operations; ++i) {
        void* object = kmalloc(BENCH_OBJECT_SIZE);
        if (!object) {
            console::print("benchheap: kmalloc({}) failed after {} ops\n", BENCH_OBJECT_SIZE, i);
            return;
        }
        kfree(object);
    }
    print_rate("kmalloc(64)+kfree pair", operations, x86::read_tsc() - start);

    // Batches: BENCH_BATCH objects live at once, so slabs fill and empty.
    u64 rounds = max(operations / BENCH_BATCH, u64(1));
    u64 allocate_cycles = 0;
    u64 free_cycles = 0;
    for (u64 round = 0; round < rounds; ++round) {
        start = x86::read_tsc();
        usize count = 0;
        for (; count < BENCH_BATCH; ++count) {
            s_batch[count] = kmalloc(BENCH_OBJECT_SIZE);
            if (!s_batch[count])
                break;
        }
        u64 middle = x86::read_tsc();
        for (usize i = 0; i < count; ++i)
            kfree(s_batch[i]);
        allocate_cycles += middle - start;
        free_cycles += x86::read_tsc() - middle;
        if (count < BENCH_BATCH) {
            console::print("benchheap: kmalloc({}) failed in a batch of {}\n", BENCH_OBJECT_SIZE, BENCH_BATCH);
            return;
        }
    }
    print_rate("kmalloc(64) in batches of 1024", rounds * BENCH_BATCH, allocate_cycles);
    print_rate("kfree(64) in batches of 1024", rounds * BENCH_BATCH, free_cycles);
}
KSHELL_COMMAND("benchheap", "time kmalloc(64)/kfree in TSC cycles [operations]", benchheap);

} // namespace

} // namespace kshell
