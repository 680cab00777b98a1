// I/O APIC registers (Intel 82093AA datasheet, 3.1 and 3.2): an index
// register IOREGSEL at +0x00 selects which 32-bit register the window IOWIN
// at +0x10 reads or writes. Each redirection entry is two registers,
// 0x10 + 2n (low: vector, delivery, polarity, trigger, mask) and 0x11 + 2n
// (high: destination APIC ID in bits 31:24).
#include <kernel/arch/x86_64/IoApic.h>
#include <kernel/mm/Layout.h>

namespace x86 {

namespace {

constexpr u8 REGISTER_VERSION = 0x01;
constexpr u8 REGISTER_REDIRECTION_BASE = 0x10;
constexpr u32 IOREGSEL = 0x00 / 4;
constexpr u32 IOWIN = 0x10 / 4;

constexpr u32 ENTRY_ACTIVE_LOW = 1 << 13;
constexpr u32 ENTRY_LEVEL_TRIGGERED = 1 << 15;
constexpr u32 ENTRY_MASKED = 1 << 16;

u8 low_register(u32 pin)
{
    return static_cast<u8>(REGISTER_REDIRECTION_BASE + 2 * pin);
}

} // namespace

void IoApic::init(u8 id, PhysAddr base, u32 gsi_base)
{
    m_id = id;
    m_gsi_base = gsi_base;
    m_registers = mm::phys_to_virt<volatile u32>(base);
    // Bits 23:16 of the version register: the highest redirection entry index.
    m_pin_count = ((read(REGISTER_VERSION) >> 16) & 0xff) + 1;
    for (u32 pin = 0; pin < m_pin_count; ++pin)
        mask(pin);
}

void IoApic::route(u32 pin, u8 vector, acpi::Polarity polarity, acpi::TriggerMode trigger, u8 destination)
{
    if (pin >= m_pin_count)
        return;
    u32 low = vector; // delivery mode 000 (fixed), destination mode 0 (physical)
    if (polarity == acpi::Polarity::ActiveLow)
        low |= ENTRY_ACTIVE_LOW;
    if (trigger == acpi::TriggerMode::Level)
        low |= ENTRY_LEVEL_TRIGGERED;
    // Destination first, so the entry is never live with a stale one.
    write(low_register(pin) + 1, u32(destination) << 24);
    write(low_register(pin), low);
}

void IoApic::mask(u32 pin)
{
    if (pin >= m_pin_count)
        return;
    write(low_register(pin), read(low_register(pin)) | ENTRY_MASKED);
}

u32 IoApic::read(u8 reg)
{
    SpinlockGuard guard(m_lock);
    m_registers[IOREGSEL] = reg;
    return m_registers[IOWIN];
}

void IoApic::write(u8 reg, u32 value)
{
    SpinlockGuard guard(m_lock);
    m_registers[IOREGSEL] = reg;
    m_registers[IOWIN] = value;
}

} // namespace x86
