// Clock source selection and tick start-up (policy in Timekeeping.h).
#include <kernel/arch/x86_64/ApicController.h>
#include <kernel/arch/x86_64/Hpet.h>
#include <kernel/arch/x86_64/Lapic.h>
#include <kernel/arch/x86_64/Pit.h>
#include <kernel/arch/x86_64/Rtc.h>
#include <kernel/arch/x86_64/Timekeeping.h>
#include <kernel/arch/x86_64/Tsc.h>
#include <kernel/log/Log.h>
#include <kernel/time/Clock.h>

namespace x86 {

namespace {

struct Choice {
    ktime::ClockSource* source;
    StringView reason;
};

Choice choose_clock_source(const acpi::Info* acpi)
{
    ktime::ClockSource* hpet = nullptr;
    if (acpi && acpi->has_hpet) {
        auto result = hpet_init(acpi->hpet);
        if (result.is_error())
            klog::warn("time: HPET unusable: {}", result.error());
        else
            hpet = result.value();
    }

    if (tsc_invariant()) {
        auto frequency = hpet ? tsc_calibrate(*hpet) : tsc_calibrate_with_pit();
        if (!frequency.is_error())
            return { &tsc_clock(frequency.value()),
                hpet ? "invariant TSC, calibrated against the HPET" : "invariant TSC, calibrated against the PIT" };
        klog::warn("time: TSC calibration failed: {}", frequency.error());
    }
    if (hpet)
        return { hpet, "HPET main counter; the TSC is not invariant" };
    u64 frequency = MUST(tsc_calibrate_with_pit());
    klog::warn("time: no HPET and no invariant TSC; the clock may drift if the TSC rate changes");
    return { &tsc_clock(frequency), "TSC, calibrated against the PIT" };
}

void start_tick()
{
    if (apic_active()) {
        auto timer_hz = lapic_timer_calibrate();
        if (!timer_hz.is_error()) {
            MUST(lapic_timer_start_periodic(timer_hz.value(), TICK_RATE_HZ));
            klog::info("time: local APIC timer counts at {} Hz (bus/16), periodic tick at {} Hz on vector {:#x}",
                timer_hz.value(), TICK_RATE_HZ, LAPIC_TIMER_VECTOR);
            return;
        }
        klog::warn("time: local APIC timer calibration failed: {}", timer_hz.error());
    }
    MUST(pit_start_periodic_tick(TICK_RATE_HZ));
    klog::info("time: PIT channel 0 periodic tick at {} Hz on ISA IRQ 0", TICK_RATE_HZ);
}

} // namespace

void timekeeping_init(const acpi::Info* acpi)
{
    Choice choice = choose_clock_source(acpi);
    MUST(ktime::set_source(*choice.source));
    klog::set_clock(ktime::monotonic_ns);
    u64 hz = choice.source->frequency_hz();
    klog::info("time: clock source {} at {} Hz ({}.{:03} MHz): {}", choice.source->name(), hz, hz / 1'000'000,
        (hz / 1000) % 1000, choice.reason);
    rtc_set_wall_clock(acpi);
    start_tick();
}

} // namespace x86
