#pragma once

// One I/O APIC (Intel 82093AA datasheet, 3.2): the chip that turns global
// system interrupts (GSIs) on its input pins into messages to local APICs,
// through one 64-bit redirection table entry per pin.
#include <kernel/acpi/Acpi.h>
#include <kernel/lib/Spinlock.h>

namespace x86 {

class IoApic {
public:
    // Maps the chip at `base`, reads its pin count and masks every pin.
    void init(u8 id, PhysAddr base, u32 gsi_base);

    u8 id() const { return m_id; }
    u32 gsi_base() const { return m_gsi_base; }
    u32 pin_count() const { return m_pin_count; }

    // Sends `pin` as `vector` (fixed delivery, physical destination mode) to
    // the local APIC `destination`, unmasked.
    void route(u32 pin, u8 vector, acpi::Polarity polarity, acpi::TriggerMode trigger, u8 destination);
    void mask(u32 pin);

private:
    u32 read(u8 reg);
    void write(u8 reg, u32 value);

    Spinlock m_lock; // IOREGSEL and IOWIN are used as a pair
    volatile u32* m_registers { nullptr };
    u32 m_gsi_base { 0 };
    u32 m_pin_count { 0 };
    u8 m_id { 0 };
};

} // namespace x86
