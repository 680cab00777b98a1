// TSC calibration. A run pairs a reference reading with the TSC at both ends
// of an interval and divides the differences. Each pairing reads the TSC
// before and after the reference and keeps the tightest of five tries: a
// reference read is slow (an I/O port or uncached MMIO access) and, under
// an emulator, can stall for tens of microseconds; an untight pairing would
// put that stall into the measured interval. The median of three runs then
// discards a run disturbed some other way (an SMI, a preempted host thread).
#include <kernel/arch/Cpu.h>
#include <kernel/arch/x86_64/Io.h>
#include <kernel/arch/x86_64/Pit.h>
#include <kernel/arch/x86_64/Tsc.h>

namespace x86 {

namespace {

constexpr u32 CPUID_EXTENDED_MAX = 0x80000000;
constexpr u32 CPUID_POWER_MANAGEMENT = 0x80000007;
constexpr u32 INVARIANT_TSC = 1 << 8;
constexpr int RUNS = 3;
constexpr int PAIRING_TRIES = 5;
constexpr u64 MIN_PLAUSIBLE_HZ = 1'000'000; // below 1 MHz something is broken

class TscClock final : public ktime::ClockSource {
public:
    StringView name() const override { return "tsc"; }
    u64 read() override { return read_tsc(); }
    u64 frequency_hz() const override { return m_frequency; }
    void set_frequency(u64 frequency) { m_frequency = frequency; }

private:
    u64 m_frequency { 0 };
};

constinit TscClock s_clock;

struct Pairing {
    u64 tsc; // midway between the TSC reads around the reference read
    u64 reference;
};

template<typename ReadReference>
Pairing pair_with_tsc(ReadReference read_reference)
{
    Pairing best {};
    u64 best_gap = ~u64(0);
    for (int i = 0; i < PAIRING_TRIES; ++i) {
        u64 before = read_tsc();
        u64 reference = read_reference();
        u64 after = read_tsc();
        if (after - before < best_gap) {
            best_gap = after - before;
            best = { before + best_gap / 2, reference };
        }
    }
    return best;
}

// Runs `measure` RUNS times with interrupts off; returns the median rate.
template<typename Measure>
ErrorOr<u64> median_rate(Measure measure)
{
    u64 rates[RUNS];
    arch::InterruptState state = arch::save_and_disable_interrupts();
    for (u64& rate : rates)
        rate = measure();
    arch::restore_interrupts(state);
    if (rates[0] > rates[1])
        lib::swap(rates[0], rates[1]);
    if (rates[1] > rates[2])
        lib::swap(rates[1], rates[2]);
    if (rates[0] > rates[1])
        lib::swap(rates[0], rates[1]);
    if (rates[1] < MIN_PLAUSIBLE_HZ)
        return Error::from_errno(EIO);
    return rates[1];
}

} // namespace

bool tsc_invariant()
{
    if (cpuid(CPUID_EXTENDED_MAX).eax < CPUID_POWER_MANAGEMENT)
        return false;
    return cpuid(CPUID_POWER_MANAGEMENT).edx & INVARIANT_TSC;
}

ErrorOr<u64> tsc_calibrate(ktime::ClockSource& reference)
{
    u64 reference_hz = reference.frequency_hz();
    u64 window = reference_hz / 50; // 20 ms
    if (window == 0)
        return Error::from_errno(EINVAL);
    auto read_reference = [&reference] {
        return reference.read();
    };
    return median_rate([&] {
        Pairing start = pair_with_tsc(read_reference);
        while (reference.read() - start.reference < window)
            arch::cpu_relax();
        Pairing end = pair_with_tsc(read_reference);
        // No overflow: 20 ms of a 10 GHz TSC (2 * 10^8) times a 10 GHz reference.
        return (end.tsc - start.tsc) * reference_hz / (end.reference - start.reference);
    });
}

ErrorOr<u64> tsc_calibrate_with_pit()
{
    // 40 ms: well inside the 54.9 ms before the 16-bit count wraps.
    constexpr u16 WINDOW = static_cast<u16>(PIT_FREQUENCY_HZ / 25);
    return median_rate([] {
        pit_channel2_start();
        Pairing start = pair_with_tsc(pit_channel2_count);
        while (u16(start.reference - pit_channel2_count()) < WINDOW)
            arch::cpu_relax();
        Pairing end = pair_with_tsc(pit_channel2_count);
        u64 elapsed = u16(start.reference - end.reference); // the PIT counts down
        return elapsed ? (end.tsc - start.tsc) * PIT_FREQUENCY_HZ / elapsed : 0;
    });
}

ktime::ClockSource& tsc_clock(u64 frequency)
{
    s_clock.set_frequency(frequency);
    return s_clock;
}

} // namespace x86
