// Local APIC programming (Intel SDM vol. 3A, chapter 11). Register offsets
// are from table 11-1; the LVT layout from figure 11-8; the timer from
// 11.5.4. Each CPU programs its own APIC; the MMIO base is shared.
#include <kernel/arch/Cpu.h>
#include <kernel/arch/x86_64/Io.h>
#include <kernel/arch/x86_64/Lapic.h>
#include <kernel/irq/Irq.h>
#include <kernel/log/Log.h>
#include <kernel/mm/Layout.h>
#include <kernel/time/Clock.h>

namespace x86 {

namespace {

enum class Register : u32 {
    Id = 0x020,
    Version = 0x030,
    TaskPriority = 0x080,
    Eoi = 0x0b0,
    SpuriousVector = 0x0f0,
    ErrorStatus = 0x280,
    LvtCmci = 0x2f0,
    LvtTimer = 0x320,
    LvtThermal = 0x330,
    LvtPerformance = 0x340,
    LvtLint0 = 0x350,
    LvtLint1 = 0x360,
    LvtError = 0x370,
    TimerInitialCount = 0x380,
    TimerCurrentCount = 0x390,
    TimerDivide = 0x3e0,
};

constexpr u32 IA32_APIC_BASE = 0x1b;
constexpr u64 APIC_BASE_X2APIC = 1 << 10;
constexpr u64 APIC_BASE_ENABLE = 1 << 11;
constexpr u64 APIC_BASE_ADDRESS_MASK = 0x000ffffffffff000;
constexpr u32 CPUID_1_EDX_APIC = 1 << 9;

constexpr u32 SVR_APIC_ENABLE = 1 << 8;
constexpr u32 LVT_MASKED = 1 << 16;
constexpr u32 LVT_DELIVERY_NMI = 4 << 8;
constexpr u32 LVT_ACTIVE_LOW = 1 << 13;
constexpr u32 LVT_TIMER_PERIODIC = 1 << 17;
constexpr u32 TIMER_DIVIDE_BY_16 = 0b0011;

volatile u32* s_registers = nullptr;

u32 read(Register reg)
{
    return s_registers[static_cast<u32>(reg) / 4];
}

void write(Register reg, u32 value)
{
    s_registers[static_cast<u32>(reg) / 4] = value;
}

void apic_error_interrupt(void*)
{
    // The ESR latches on a write (SDM 11.5.3): write, then read.
    write(Register::ErrorStatus, 0);
    klog::warn("lapic: APIC error, ESR {:#x}", read(Register::ErrorStatus));
}

void spurious_interrupt(void*) { }

// Programs LINT0/LINT1 as NMI for the entries that name this processor (or
// all processors); masks them otherwise (SDM 11.5.1; ACPI 6.5, 5.2.12.7).
void program_lints(const acpi::Madt& madt, u32 apic_id)
{
    u32 uid = acpi::LocalApicNmi::ALL_PROCESSORS;
    for (usize i = 0; i < madt.processor_count; ++i) {
        if (madt.processors[i].apic_id == apic_id)
            uid = madt.processors[i].processor_uid;
    }
    u32 lint[2] = { LVT_MASKED, LVT_MASKED };
    for (usize i = 0; i < madt.local_nmi_count; ++i) {
        const acpi::LocalApicNmi& nmi = madt.local_nmis[i];
        if (nmi.lint > 1 || (nmi.processor_uid != uid && nmi.processor_uid != acpi::LocalApicNmi::ALL_PROCESSORS))
            continue;
        // NMIs are always edge triggered (SDM 11.5.1), so only polarity applies.
        lint[nmi.lint] = LVT_DELIVERY_NMI | (nmi.polarity == acpi::Polarity::ActiveLow ? LVT_ACTIVE_LOW : 0);
    }
    write(Register::LvtLint0, lint[0]);
    write(Register::LvtLint1, lint[1]);
}

void timer_tick(void*)
{
    ktime::tick();
}

} // namespace

ErrorOr<void> lapic_init(const acpi::Madt& madt)
{
    if (!(cpuid(1).edx & CPUID_1_EDX_APIC))
        return Error::from_errno(EOPNOTSUPP);
    u64 base_msr = read_msr(IA32_APIC_BASE);
    if (base_msr & APIC_BASE_X2APIC) {
        // Leaving x2APIC mode needs a full disable first (SDM 11.12.5); Osprey
        // drives the xAPIC interface only.
        klog::warn("lapic: firmware left the APIC in x2APIC mode");
        return Error::from_errno(EOPNOTSUPP);
    }
    PhysAddr base = madt.local_apic_address & APIC_BASE_ADDRESS_MASK;
    if (base == 0 || base >= mm::EARLY_DIRECT_MAP_LIMIT)
        return Error::from_errno(EINVAL);
    // The only steps that can fail come before the hardware is touched.
    TRY(irq::register_handler(LAPIC_ERROR_VECTOR, apic_error_interrupt, nullptr, "apic-error"));
    TRY(irq::register_handler(irq::SPURIOUS_VECTOR, spurious_interrupt, nullptr, "spurious"));

    if ((base_msr & APIC_BASE_ADDRESS_MASK) != base)
        klog::warn("lapic: moving the APIC from {:#x} to the MADT's {:#x}", base_msr & APIC_BASE_ADDRESS_MASK, base);
    write_msr(IA32_APIC_BASE, (base_msr & ~APIC_BASE_ADDRESS_MASK) | base | APIC_BASE_ENABLE);
    s_registers = mm::phys_to_virt<volatile u32>(base);

    u32 max_lvt = (read(Register::Version) >> 16) & 0xff;
    write(Register::LvtTimer, LVT_MASKED);
    write(Register::LvtPerformance, LVT_MASKED);
    if (max_lvt >= 5)
        write(Register::LvtThermal, LVT_MASKED);
    if (max_lvt >= 6)
        write(Register::LvtCmci, LVT_MASKED);
    program_lints(madt, lapic_id());

    write(Register::LvtError, LAPIC_ERROR_VECTOR);
    write(Register::ErrorStatus, 0);
    write(Register::ErrorStatus, 0);

    write(Register::TaskPriority, 0);
    write(Register::SpuriousVector, SVR_APIC_ENABLE | irq::SPURIOUS_VECTOR);
    write(Register::Eoi, 0); // retire anything firmware left in service
    return {};
}

bool lapic_enabled()
{
    return s_registers != nullptr;
}

u32 lapic_id()
{
    return read(Register::Id) >> 24;
}

void lapic_eoi()
{
    write(Register::Eoi, 0);
}

ErrorOr<u64> lapic_timer_calibrate()
{
    if (!lapic_enabled() || !ktime::source())
        return Error::from_errno(ENODEV);
    constexpr u64 WINDOW_NS = 20'000'000;
    constexpr int RUNS = 3;
    constexpr int PAIRING_TRIES = 5;
    // Pairs the clock with the count read just before and after it, keeping
    // the tightest of a few tries, so a stalled clock read (slow MMIO, an
    // emulator) does not stretch the measured interval.
    struct Pairing {
        u64 ns;
        u64 count; // midway between the two count reads
    };
    auto pair = [] {
        Pairing best {};
        u32 best_gap = ~0u;
        for (int i = 0; i < PAIRING_TRIES; ++i) {
            u32 before = read(Register::TimerCurrentCount);
            u64 ns = ktime::monotonic_ns();
            u32 after = read(Register::TimerCurrentCount);
            if (before - after < best_gap) {
                best_gap = before - after; // it counts down
                best = { ns, before - best_gap / 2 };
            }
        }
        return best;
    };

    u64 rates[RUNS];
    arch::InterruptState state = arch::save_and_disable_interrupts();
    write(Register::TimerDivide, TIMER_DIVIDE_BY_16);
    for (u64& rate : rates) {
        write(Register::LvtTimer, LVT_MASKED | LAPIC_TIMER_VECTOR); // one-shot, masked
        write(Register::TimerInitialCount, 0xffffffff);
        Pairing start = pair();
        while (ktime::monotonic_ns() - start.ns < WINDOW_NS)
            arch::cpu_relax();
        Pairing end = pair();
        u64 elapsed_ns = end.ns - start.ns;
        rate = elapsed_ns ? (start.count - end.count) * ktime::NS_PER_SECOND / elapsed_ns : 0;
    }
    write(Register::TimerInitialCount, 0);
    arch::restore_interrupts(state);

    // Median of three.
    if (rates[0] > rates[1])
        lib::swap(rates[0], rates[1]);
    if (rates[1] > rates[2])
        lib::swap(rates[1], rates[2]);
    if (rates[0] > rates[1])
        lib::swap(rates[0], rates[1]);
    if (rates[1] == 0)
        return Error::from_errno(EIO);
    return rates[1];
}

ErrorOr<void> lapic_timer_start_periodic(u64 timer_hz, u32 hz)
{
    if (!lapic_enabled() || hz == 0)
        return Error::from_errno(EINVAL);
    u64 initial = timer_hz / hz;
    if (initial == 0 || initial > 0xffffffff)
        return Error::from_errno(ERANGE);
    TRY(irq::register_handler(LAPIC_TIMER_VECTOR, timer_tick, nullptr, "timer"));
    write(Register::TimerDivide, TIMER_DIVIDE_BY_16);
    write(Register::LvtTimer, LVT_TIMER_PERIODIC | LAPIC_TIMER_VECTOR);
    write(Register::TimerInitialCount, static_cast<u32>(initial)); // starts the count
    ktime::set_tick_rate(hz);
    return {};
}

} // namespace x86
