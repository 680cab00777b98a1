#pragma once

// Output for in-kernel benchmarks: converts TSC cycle counts into time with the
// TSC rate measured against the clock, and prints one machine-readable line:
//   BENCH kernel <what>: <ns>.<ps> ns/op <n> ops/s
#include <kernel/lib/StringView.h>

namespace kshell {

void print_bench(StringView what, u64 operations, u64 cycles);

} // namespace kshell
