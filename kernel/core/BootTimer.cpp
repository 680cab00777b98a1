#include <kernel/arch/x86_64/Io.h>
#include <kernel/core/BootTimer.h>
#include <kernel/log/Log.h>
#include <kernel/time/Clock.h>

namespace boot_timer {

namespace {
u64 s_entry_tsc;
u64 s_clock_tsc;
u64 s_clock_ns;
} // namespace

void mark_entry()
{
    s_entry_tsc = x86::read_tsc();
}

void mark_clock_ready()
{
    s_clock_tsc = x86::read_tsc();
    s_clock_ns = ktime::monotonic_ns();
}

void report(const char* what)
{
    u64 now_tsc = x86::read_tsc();
    u64 now_ns = ktime::monotonic_ns();
    u64 clock_span_ns = now_ns - s_clock_ns;
    u64 clock_span_tsc = now_tsc - s_clock_tsc;
    if (s_clock_tsc == 0 || clock_span_ns == 0 || clock_span_tsc == 0) {
        klog::info("boot: reached {} (no clock to time it)", what);
        return;
    }
    // TSC ticks per microsecond over the span the clock has been running.
    u64 tsc_per_us = clock_span_tsc * 1000 / clock_span_ns;
    if (tsc_per_us == 0)
        tsc_per_us = 1;
    u64 early_us = (s_clock_tsc - s_entry_tsc) / tsc_per_us;
    u64 total_us = early_us + clock_span_ns / 1000;
    klog::info(
        "boot: reached {} in {}.{:03} ms (kernel entry to prompt; {}.{:03} ms of it before timekeeping was ready)",
        what, total_us / 1000, total_us % 1000, early_us / 1000, early_us % 1000);
}

u64 tsc_khz()
{
    if (s_clock_tsc == 0)
        return 0;
    u64 span_ns = ktime::monotonic_ns() - s_clock_ns;
    u64 span_tsc = x86::read_tsc() - s_clock_tsc;
    if (span_ns < 1000000)
        return 0;
    return span_tsc / (span_ns / 1000) * 1000 + (span_tsc % (span_ns / 1000)) * 1000 / (span_ns / 1000);
}

} // namespace boot_timer
