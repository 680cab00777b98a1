#pragma once

// One PCI function found by the bus scan (Enumeration.cpp): its identity,
// its decoded BARs and capabilities, and the operations drivers need to
// bring it up: map a BAR, turn on decoding and bus mastering, and get an
// interrupt (MSI-X, else MSI, else legacy INTx; Interrupts.cpp).
//
// Devices live in a fixed table filled once at boot and never freed, so a
// Device& stays valid forever. Fields other than `driver` and the interrupt
// state are read-only after the scan; the driver owns its device.
#include <drivers/pci/ConfigSpace.h>
#include <kernel/irq/Irq.h>
#include <kernel/lib/Error.h>
#include <kernel/lib/StringView.h>

namespace pci {

inline constexpr usize BAR_COUNT = 6;

struct Bar {
    enum class Kind : u8 {
        None,
        Io,
        Memory32,
        Memory64,
    };
    Kind kind { Kind::None };
    bool prefetchable { false };
    u64 address { 0 }; // port number for Io
    u64 size { 0 };
};

// Capability IDs (PCI Local Bus 3.0, appendix H).
enum class Capability : u8 {
    Msi = 0x05,
    VendorSpecific = 0x09,
    PciExpress = 0x10,
    MsiX = 0x11,
};

enum class InterruptKind : u8 {
    None,
    MsiX,
    Msi,
    Intx,
};

class Device {
public:
    Address address {};
    u16 vendor_id { 0 };
    u16 device_id { 0 };
    u16 subsystem_vendor_id { 0 };
    u16 subsystem_id { 0 };
    u8 class_code { 0 };
    u8 subclass { 0 };
    u8 prog_if { 0 };
    u8 revision { 0 };
    u8 header_type { 0 }; // without the multi-function bit
    u8 interrupt_line { 0xff };
    u8 interrupt_pin { 0 }; // 0 none, 1..4 INTA..INTD
    Bar bars[BAR_COUNT] {};
    const char* driver { nullptr }; // the driver that claimed it

    // Offset of the first capability with `id` after `after` (0: from the
    // start), or 0 when there is none. The walk is bounded, so a looping
    // list cannot hang it.
    u8 find_capability(Capability id, u8 after = 0) const;

    // Turns on memory and I/O decoding, and bus mastering for DMA.
    void enable(bool bus_master);

    // Maps memory BAR `index` uncached (whole BAR). EINVAL for an I/O or
    // absent BAR.
    ErrorOr<volatile u8*> map_bar(usize index);

    // An interrupt for the device, the best it offers: MSI-X (every table
    // entry sends the one vector), MSI (one message), or its INTx line
    // through the interrupt controller (the firmware's routing in the
    // Interrupt Line register). The handler may be called when the device
    // did not interrupt (INTx lines are shared). ENODEV when the device has
    // no interrupt at all, ENOSPC when vectors run out.
    ErrorOr<InterruptKind> enable_interrupt(irq::Handler handler, void* context, StringView name);
    // Undoes enable_interrupt (for a probe that fails after it): the
    // device's messages or its INTx are turned off and the handler goes.
    void disable_interrupt(irq::Handler handler, void* context);
    InterruptKind interrupt_kind() const { return m_interrupt_kind; }
    u8 interrupt_vector() const { return m_vector; }

    u16 read_command() const { return read16(address, Register::Command); }

private:
    ErrorOr<void> enable_msix(u8 vector);
    ErrorOr<void> enable_msi(u8 vector);

    InterruptKind m_interrupt_kind { InterruptKind::None };
    u8 m_vector { 0 };
};

// Visits every function found, in bus order.
void for_each_device(void (*visit)(Device& device, void* context), void* context);
usize device_count();

// Scans every bus (after init_config_access), then offers each device to the
// registered drivers (Driver.h). Once, at boot, from a thread that may block.
void enumerate_and_probe(const acpi::Info* acpi);

// A short name for a class/subclass ("SATA controller", "Ethernet
// controller"), or "class XXYY" in `fallback` (at least 11 bytes).
StringView class_name(u8 class_code, u8 subclass, char* fallback);

} // namespace pci
