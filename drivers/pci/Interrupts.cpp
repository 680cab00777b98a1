// Device interrupts: MSI-X, MSI and INTx (see Device.h).
//
// MSI and MSI-X messages (PCI Local Bus 3.0 6.8; Intel SDM vol. 3A 11.11):
// the address 0xfee00000 | destination APIC ID << 12 in physical mode, the
// data the vector, edge triggered. Vectors for messages come from a small
// pool above the ISA range and below the timer (0xf0). Messages need the
// local APIC; under the 8259 only INTx works.
//
// INTx: the firmware (SeaBIOS on QEMU) routes each PIRQ link to an ISA IRQ
// and writes it into the Interrupt Line register; the handler goes on that
// ISA IRQ, whose polarity and trigger come from the MADT's overrides (QEMU
// marks its PCI IRQs 5, 9, 10 and 11 level triggered).
#include <drivers/pci/Device.h>
#include <kernel/arch/x86_64/ApicController.h>
#include <kernel/arch/x86_64/Lapic.h>
#include <kernel/lib/Atomic.h>
#include <kernel/log/Log.h>
#include <kernel/mm/MemoryManager.h>

namespace pci {

namespace {

constexpr u8 FIRST_MESSAGE_VECTOR = 0x50;
constexpr u8 LAST_MESSAGE_VECTOR = 0xdf;
constinit lib::Atomic<u32> s_next_vector { FIRST_MESSAGE_VECTOR };

constexpr u32 MESSAGE_ADDRESS_BASE = 0xfee00000;

// MSI capability (offsets from the capability).
constexpr u16 MSI_CONTROL = 2;
constexpr u16 MSI_ADDRESS_LOW = 4;
constexpr u16 MSI_CONTROL_ENABLE = 1u << 0;
constexpr u16 MSI_CONTROL_MULTIPLE_ENABLE = 7u << 4;
constexpr u16 MSI_CONTROL_64BIT = 1u << 7;
// MSI-X capability.
constexpr u16 MSIX_CONTROL = 2;
constexpr u16 MSIX_TABLE = 4;
constexpr u16 MSIX_CONTROL_ENABLE = 1u << 15;
constexpr u16 MSIX_CONTROL_FUNCTION_MASK = 1u << 14;
constexpr u16 MSIX_CONTROL_TABLE_SIZE = 0x7ff;
constexpr usize MSIX_ENTRY_SIZE = 16;

ErrorOr<u8> allocate_vector()
{
    u32 vector = s_next_vector.fetch_add(1);
    if (vector > LAST_MESSAGE_VECTOR)
        return Error::from_errno(ENOSPC);
    return static_cast<u8>(vector);
}

u32 message_address()
{
    return MESSAGE_ADDRESS_BASE | ((x86::lapic_id() & 0xff) << 12);
}

} // namespace

ErrorOr<void> Device::enable_msix(u8 vector)
{
    u8 capability = find_capability(Capability::MsiX);
    if (!capability)
        return Error::from_errno(ENODEV);
    u16 control = read16(address, static_cast<u16>(capability + MSIX_CONTROL));
    usize entries = (control & MSIX_CONTROL_TABLE_SIZE) + 1u;
    u32 table = read32(address, static_cast<u16>(capability + MSIX_TABLE));
    usize bar_index = table & 7;
    u64 table_offset = table & ~u32(7);
    if (bar_index >= BAR_COUNT || table_offset + entries * MSIX_ENTRY_SIZE > bars[bar_index].size)
        return Error::from_errno(EINVAL);
    VirtAddr mapped = TRY(mm::map_mmio(bars[bar_index].address + table_offset, entries * MSIX_ENTRY_SIZE));
    auto* entry = reinterpret_cast<volatile u32*>(mapped);

    // Mask the function while the table is written (PCI 3.0 6.8.2.3).
    write16(address, static_cast<u16>(capability + MSIX_CONTROL),
        static_cast<u16>(control | MSIX_CONTROL_ENABLE | MSIX_CONTROL_FUNCTION_MASK));
    for (usize i = 0; i < entries; ++i, entry += 4) {
        entry[0] = message_address();
        entry[1] = 0;
        entry[2] = vector;
        entry[3] = 0; // unmasked
    }
    write16(address, static_cast<u16>(capability + MSIX_CONTROL),
        static_cast<u16>((control | MSIX_CONTROL_ENABLE) & ~MSIX_CONTROL_FUNCTION_MASK));
    // The table stays mapped: the device reads it for every message.
    return {};
}

ErrorOr<void> Device::enable_msi(u8 vector)
{
    u8 capability = find_capability(Capability::Msi);
    if (!capability)
        return Error::from_errno(ENODEV);
    u16 control = read16(address, static_cast<u16>(capability + MSI_CONTROL));
    write32(address, static_cast<u16>(capability + MSI_ADDRESS_LOW), message_address());
    u16 data_offset = 8;
    if (control & MSI_CONTROL_64BIT) {
        write32(address, static_cast<u16>(capability + 8), 0);
        data_offset = 12;
    }
    write16(address, static_cast<u16>(capability + data_offset), vector);
    control = static_cast<u16>((control & ~MSI_CONTROL_MULTIPLE_ENABLE) | MSI_CONTROL_ENABLE);
    write16(address, static_cast<u16>(capability + MSI_CONTROL), control);
    return {};
}

ErrorOr<InterruptKind> Device::enable_interrupt(irq::Handler handler, void* context, StringView name)
{
    if (x86::apic_active() && (find_capability(Capability::MsiX) || find_capability(Capability::Msi))) {
        u8 vector = TRY(allocate_vector());
        TRY(irq::register_handler(vector, handler, context, name));
        bool use_msix = find_capability(Capability::MsiX) != 0;
        ErrorOr<void> enabled = use_msix ? enable_msix(vector) : enable_msi(vector);
        if (!enabled.is_error()) {
            write16(address, Register::Command, static_cast<u16>(read_command() | command::INTERRUPT_DISABLE));
            m_vector = vector;
            m_interrupt_kind = use_msix ? InterruptKind::MsiX : InterruptKind::Msi;
            return m_interrupt_kind;
        }
        (void)irq::unregister_handler(vector, handler, context);
        klog::warn("pci: {:02x}:{:02x}.{}: message interrupts unusable ({}); trying INTx", address.bus, address.device,
            address.function, enabled.error());
    }
    if (interrupt_pin == 0 || interrupt_line >= irq::ISA_IRQ_COUNT)
        return Error::from_errno(ENODEV);
    TRY(irq::register_isa_handler(interrupt_line, handler, context, name));
    write16(address, Register::Command, static_cast<u16>(read_command() & ~command::INTERRUPT_DISABLE));
    m_vector = static_cast<u8>(irq::ISA_VECTOR_BASE + interrupt_line);
    m_interrupt_kind = InterruptKind::Intx;
    return m_interrupt_kind;
}

void Device::disable_interrupt(irq::Handler handler, void* context)
{
    switch (m_interrupt_kind) {
    case InterruptKind::MsiX:
        if (u8 capability = find_capability(Capability::MsiX)) {
            u16 control = read16(address, static_cast<u16>(capability + MSIX_CONTROL));
            write16(address, static_cast<u16>(capability + MSIX_CONTROL), control & ~MSIX_CONTROL_ENABLE);
        }
        (void)irq::unregister_handler(m_vector, handler, context);
        break;
    case InterruptKind::Msi:
        if (u8 capability = find_capability(Capability::Msi)) {
            u16 control = read16(address, static_cast<u16>(capability + MSI_CONTROL));
            write16(address, static_cast<u16>(capability + MSI_CONTROL), control & ~MSI_CONTROL_ENABLE);
        }
        (void)irq::unregister_handler(m_vector, handler, context);
        break;
    case InterruptKind::Intx:
        write16(address, Register::Command, static_cast<u16>(read_command() | command::INTERRUPT_DISABLE));
        (void)irq::unregister_isa_handler(interrupt_line, handler, context);
        break;
    case InterruptKind::None:
        return;
    }
    m_interrupt_kind = InterruptKind::None;
    m_vector = 0;
}

} // namespace pci
