// Counter-to-nanosecond conversion and the tick count.
//
// ns = base_ns + (counter - base_counter) * mult / 2^shift, where
// mult = 10^9 * 2^shift / frequency is fixed when the source is installed,
// with the largest shift that keeps mult below 2^62 (61 to 62 significant
// bits, so the conversion adds no error worth measuring). The product is
// taken in 128 bits, so no interval overflows; mult is found by binary long
// division, so no 128-bit division (a compiler-runtime call) is needed.
//
// The conversion state is written only by set_source, under s_writer_lock,
// bracketed by two increments of s_sequence (odd while writing). Readers
// copy the state and retry if the sequence was odd or changed meanwhile.
#include <kernel/arch/Cpu.h>
#include <kernel/lib/Spinlock.h>
#include <kernel/time/Clock.h>

namespace ktime {

namespace {

constexpr u64 MAX_FREQUENCY_HZ = 10'000'000'000;

struct Conversion {
    ClockSource* source;
    u64 base_counter;
    u64 base_ns;
    u64 mult; // ns per count, times 2^shift
    u32 shift;
};

constinit Spinlock s_writer_lock;
u32 s_sequence = 0;
Conversion s_conversion {};
u64 s_last_ns = 0; // the largest value monotonic_ns has returned
u64 s_ticks = 0;
u32 s_tick_rate = 0;

template<typename T>
T load(const T& field)
{
    return __atomic_load_n(&field, __ATOMIC_RELAXED);
}

template<typename T>
void store(T& field, T value)
{
    __atomic_store_n(&field, value, __ATOMIC_RELAXED);
}

Conversion snapshot()
{
    for (;;) {
        u32 before = __atomic_load_n(&s_sequence, __ATOMIC_ACQUIRE);
        if (before & 1) {
            arch::cpu_relax();
            continue;
        }
        Conversion copy { load(s_conversion.source), load(s_conversion.base_counter), load(s_conversion.base_ns),
            load(s_conversion.mult), load(s_conversion.shift) };
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (load(s_sequence) == before)
            return copy;
    }
}

u64 to_ns(const Conversion& conversion, u64 counter)
{
    // A counter behind the base (another CPU's TSC a little behind) counts as no time.
    u64 delta = counter > conversion.base_counter ? counter - conversion.base_counter : 0;
    auto scaled = static_cast<unsigned __int128>(delta) * conversion.mult;
    return conversion.base_ns + static_cast<u64>(scaled >> conversion.shift);
}

// mult = floor(10^9 * 2^shift / frequency), one quotient bit per step.
// The remainder stays below frequency <= 10^10 < 2^34, so 2r cannot overflow.
void compute_mult(u64 frequency, u64& mult, u32& shift)
{
    u64 quotient = NS_PER_SECOND / frequency;
    u64 remainder = NS_PER_SECOND % frequency;
    u32 bits = 0;
    while (bits < 63 && quotient < (1ull << 61)) {
        remainder <<= 1;
        quotient <<= 1;
        if (remainder >= frequency) {
            remainder -= frequency;
            quotient |= 1;
        }
        ++bits;
    }
    mult = quotient;
    shift = bits;
}

// Hands out max(ns, everything handed out before).
u64 clamp_monotonic(u64 ns)
{
    u64 last = __atomic_load_n(&s_last_ns, __ATOMIC_RELAXED);
    while (ns > last) {
        if (__atomic_compare_exchange_n(&s_last_ns, &last, ns, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            return ns;
    }
    return last;
}

} // namespace

ErrorOr<void> set_source(ClockSource& source)
{
    u64 frequency = source.frequency_hz();
    if (frequency == 0 || frequency > MAX_FREQUENCY_HZ)
        return Error::from_errno(EINVAL);
    u64 mult;
    u32 shift;
    compute_mult(frequency, mult, shift);

    SpinlockGuard guard(s_writer_lock);
    u64 now_ns = monotonic_ns();
    u64 counter = source.read();
    store(s_sequence, load(s_sequence) + 1);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    store(s_conversion.source, &source);
    store(s_conversion.base_counter, counter);
    store(s_conversion.base_ns, now_ns);
    store(s_conversion.mult, mult);
    store(s_conversion.shift, shift);
    __atomic_store_n(&s_sequence, load(s_sequence) + 1, __ATOMIC_RELEASE);
    return {};
}

ClockSource* source()
{
    return snapshot().source;
}

u64 monotonic_ns()
{
    Conversion conversion = snapshot();
    if (!conversion.source)
        return 0;
    return clamp_monotonic(to_ns(conversion, conversion.source->read()));
}

u64 uptime_ns()
{
    return monotonic_ns();
}

void sleep_busy_ns(u64 ns)
{
    if (!source())
        return;
    u64 deadline = monotonic_ns() + ns;
    while (monotonic_ns() < deadline)
        arch::cpu_relax();
}

void tick()
{
    __atomic_fetch_add(&s_ticks, 1, __ATOMIC_RELAXED);
    // Sample the clock, so a source that extends a narrow counter in software
    // sees it at least once per tick (WrapExtender.h).
    (void)monotonic_ns();
}

u64 ticks()
{
    return __atomic_load_n(&s_ticks, __ATOMIC_RELAXED);
}

void set_tick_rate(u32 hz)
{
    __atomic_store_n(&s_tick_rate, hz, __ATOMIC_RELAXED);
}

u32 tick_rate_hz()
{
    return __atomic_load_n(&s_tick_rate, __ATOMIC_RELAXED);
}

void reset_for_testing()
{
    SpinlockGuard guard(s_writer_lock);
    store(s_sequence, load(s_sequence) + 1);
    s_conversion = {};
    s_last_ns = 0;
    s_ticks = 0;
    s_tick_rate = 0;
    __atomic_store_n(&s_sequence, load(s_sequence) + 1, __ATOMIC_RELEASE);
}

} // namespace ktime
