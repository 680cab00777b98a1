#pragma once

// PCI configuration space access (PCI Local Bus 3.0 ch. 6; PCI Express Base
// 4.0 7.2.2). Two mechanisms: the memory-mapped ECAM windows the ACPI MCFG
// describes (4 KiB per function, extended space included), and configuration
// mechanism #1 through ports 0xcf8/0xcfc (256 bytes per function, segment 0
// only) when there is no MCFG.
//
// Locking: port I/O writes the address and then touches the data port, so
// that pair runs under one spinlock; ECAM accesses are single loads and
// stores and need none.
#include <kernel/acpi/Acpi.h>
#include <kernel/lib/Types.h>

namespace pci {

struct Address {
    u16 segment;
    u8 bus;
    u8 device;   // 0..31
    u8 function; // 0..7
};

// Standard header offsets (type 0 and the common part of type 1).
enum class Register : u16 {
    VendorId = 0x00,
    DeviceId = 0x02,
    Command = 0x04,
    Status = 0x06,
    Revision = 0x08,
    ProgIf = 0x09,
    Subclass = 0x0a,
    ClassCode = 0x0b,
    HeaderType = 0x0e,
    Bar0 = 0x10,
    SecondaryBus = 0x19, // type 1
    SubsystemVendorId = 0x2c,
    SubsystemId = 0x2e,
    CapabilitiesPointer = 0x34,
    InterruptLine = 0x3c,
    InterruptPin = 0x3d,
};

namespace command {
inline constexpr u16 IO_SPACE = 1u << 0;
inline constexpr u16 MEMORY_SPACE = 1u << 1;
inline constexpr u16 BUS_MASTER = 1u << 2;
inline constexpr u16 INTERRUPT_DISABLE = 1u << 10;
} // namespace command

inline constexpr u16 STATUS_CAPABILITIES_LIST = 1u << 4;

// Chooses ECAM when `acpi` has an MCFG, port I/O otherwise. Once, at boot.
void init_config_access(const acpi::Info* acpi);
bool uses_ecam();
// Buses reachable on `segment` (from the MCFG; 0..255 for port I/O).
bool bus_range(u16 segment, u8& first, u8& last);
// Segments to scan: the MCFG's, or segment 0 alone.
usize segment_count();
u16 segment_at(usize index);

// Offsets must be aligned to the access size; reads of a function that is
// not there return all ones, as the hardware does.
u32 read32(Address address, u16 offset);
u16 read16(Address address, u16 offset);
u8 read8(Address address, u16 offset);
void write32(Address address, u16 offset, u32 value);
void write16(Address address, u16 offset, u16 value);
void write8(Address address, u16 offset, u8 value);

inline u32 read32(Address address, Register reg)
{
    return read32(address, static_cast<u16>(reg));
}
inline u16 read16(Address address, Register reg)
{
    return read16(address, static_cast<u16>(reg));
}
inline u8 read8(Address address, Register reg)
{
    return read8(address, static_cast<u16>(reg));
}
inline void write16(Address address, Register reg, u16 value)
{
    write16(address, static_cast<u16>(reg), value);
}

} // namespace pci
