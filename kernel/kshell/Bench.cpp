#include <kernel/console/Console.h>
#include <kernel/core/BootTimer.h>
#include <kernel/kshell/Bench.h>

namespace kshell {

void print_bench(StringView what, u64 operations, u64 cycles)
{
    u64 khz = boot_timer::tsc_khz();
    if (!khz || !operations || !cycles) {
        console::print("BENCH kernel {}: no clock to convert {} cycles\n", what, cycles);
        return;
    }
    // Keep the intermediate products in range: cycles here stay below ~2^40.
    u64 picoseconds_per_op = cycles * 1000000 / operations * 1000 / khz;
    u64 ops_per_second = picoseconds_per_op ? 1000000000000 / picoseconds_per_op : 0;
    console::print("BENCH kernel {}: {}.{:03} ns/op {} ops/s\n", what, picoseconds_per_op / 1000,
        picoseconds_per_op % 1000, ops_per_second);
}

} // namespace kshell
