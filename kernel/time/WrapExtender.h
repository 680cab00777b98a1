#pragma once

// Extends a wrapping 32-bit hardware counter (a 32-bit HPET) to 64 bits.
//
// The extender remembers the last extended value; a new raw reading is taken
// as that value plus the forward distance modulo 2^32. A reading less than
// half a wrap behind the last value is a stale one (another CPU already
// published a newer value): it returns the last value rather than jumping a
// whole wrap ahead. So the counter must be sampled at least once per half
// wrap period (21 s for a 100 MHz counter); the periodic tick does that.
// Lock-free: the last value is updated with compare-and-swap.
#include <kernel/lib/Types.h>

namespace ktime {

class WrapExtender {
public:
    u64 extend(u32 raw)
    {
        u64 last = __atomic_load_n(&m_last, __ATOMIC_RELAXED);
        for (;;) {
            u32 forward = raw - static_cast<u32>(last);
            if (forward >= HALF_WRAP)
                return last;
            u64 value = last + forward;
            if (__atomic_compare_exchange_n(&m_last, &last, value, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
                return value;
        }
    }

    // Starts from `raw` (the counter's current value).
    void reset(u32 raw) { __atomic_store_n(&m_last, u64(raw), __ATOMIC_RELAXED); }

private:
    static constexpr u32 HALF_WRAP = 0x80000000u;
    u64 m_last { 0 };
};

} // namespace ktime
