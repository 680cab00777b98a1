#pragma once

// Measures the kernel's own boot time: from kernel_main's first instruction
// to the first prompt. The clock is not running at entry, so the entry is
// stamped with the TSC; once the clock runs, the TSC rate is measured
// against it and the early part converted.
namespace boot_timer {

void mark_entry();
void mark_clock_ready();
// Logs "boot: reached <what> in <n> ms (kernel entry to prompt)".
void report(const char* what);

// The TSC rate in kHz, measured against the clock over the time since it was
// ready (so it sharpens as uptime grows); 0 before the clock runs. Benchmarks
// use it to turn cycle counts into nanoseconds.
u64 tsc_khz();

} // namespace boot_timer
