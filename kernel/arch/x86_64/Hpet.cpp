// HPET programming (IA-PC HPET specification 1.0a, 2.3: register layout).
// Only the main counter is used: it runs at 10^15 / period Hz, and a 32-bit
// counter (COUNT_SIZE_CAP clear) is extended to 64 bits in software, which
// relies on ktime's periodic tick sampling it (WrapExtender.h).
#include <kernel/arch/x86_64/Hpet.h>
#include <kernel/log/Log.h>
#include <kernel/mm/Layout.h>
#include <kernel/time/WrapExtender.h>

namespace x86 {

namespace {

constexpr u32 CAPABILITIES = 0x000;
constexpr u32 CONFIGURATION = 0x010;
constexpr u32 MAIN_COUNTER = 0x0f0;
constexpr u32 TIMER_CONFIGURATION_BASE = 0x100; // + 0x20 * timer

constexpr u64 CAP_COUNTER_64BIT = 1 << 13;
constexpr u64 CONFIG_ENABLE = 1 << 0;
constexpr u64 CONFIG_LEGACY_ROUTE = 1 << 1;
constexpr u64 TIMER_INTERRUPT_ENABLE = 1 << 2;
constexpr u64 MAX_PERIOD_FS = 100'000'000; // 100 ns (spec 2.3.4)
constexpr u64 FS_PER_SECOND = 1'000'000'000'000'000;

class HpetClock final : public ktime::ClockSource {
public:
    StringView name() const override { return "hpet"; }
    u64 frequency_hz() const override { return m_frequency; }
    u64 read() override
    {
        if (m_counter_64bit)
            return read64(MAIN_COUNTER);
        return m_extender.extend(read32(MAIN_COUNTER));
    }

    void setup(volatile u8* registers, u64 frequency, bool counter_64bit)
    {
        m_registers = registers;
        m_frequency = frequency;
        m_counter_64bit = counter_64bit;
        if (!counter_64bit)
            m_extender.reset(read32(MAIN_COUNTER));
    }

    u64 read64(u32 offset) const { return *reinterpret_cast<volatile u64*>(m_registers + offset); }
    u32 read32(u32 offset) const { return *reinterpret_cast<volatile u32*>(m_registers + offset); }
    void write64(u32 offset, u64 value) { *reinterpret_cast<volatile u64*>(m_registers + offset) = value; }

private:
    volatile u8* m_registers { nullptr };
    u64 m_frequency { 0 };
    bool m_counter_64bit { false };
    ktime::WrapExtender m_extender;
};

constinit HpetClock s_clock;

} // namespace

ErrorOr<ktime::ClockSource*> hpet_init(const acpi::Hpet& table)
{
    if (table.base == 0 || table.base >= mm::EARLY_DIRECT_MAP_LIMIT)
        return Error::from_errno(EINVAL);
    auto* registers = mm::phys_to_virt<volatile u8>(table.base);
    u64 capabilities = *reinterpret_cast<volatile u64*>(registers + CAPABILITIES);
    u64 period_fs = capabilities >> 32;
    if (period_fs == 0 || period_fs > MAX_PERIOD_FS)
        return Error::from_errno(EINVAL);
    u64 frequency = (FS_PER_SECOND + period_fs / 2) / period_fs;
    bool counter_64bit = capabilities & CAP_COUNTER_64BIT;
    u32 timers = ((capabilities >> 8) & 0x1f) + 1;

    auto& config = *reinterpret_cast<volatile u64*>(registers + CONFIGURATION);
    config = config & ~(CONFIG_LEGACY_ROUTE | CONFIG_ENABLE);
    for (u32 timer = 0; timer < timers; ++timer) {
        usize offset = TIMER_CONFIGURATION_BASE + usize(timer) * 0x20;
        auto& timer_config = *reinterpret_cast<volatile u64*>(registers + offset);
        timer_config = timer_config & ~TIMER_INTERRUPT_ENABLE;
    }
    config = config | CONFIG_ENABLE;

    s_clock.setup(registers, frequency, counter_64bit);
    klog::info("hpet: at {:#x}, {} Hz ({} fs period), {}-bit counter, {} comparators", table.base, frequency, period_fs,
        counter_64bit ? 64 : 32, timers);
    return &s_clock;
}

} // namespace x86
