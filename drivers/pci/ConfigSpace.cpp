// Configuration space access; see ConfigSpace.h.
#include <drivers/pci/ConfigSpace.h>
#include <kernel/arch/x86_64/Io.h>
#include <kernel/lib/Spinlock.h>
#include <kernel/log/Log.h>
#include <kernel/mm/Layout.h>
#include <kernel/mm/MemoryManager.h>

namespace pci {

namespace {

constexpr u16 CONFIG_ADDRESS_PORT = 0xcf8;
constexpr u16 CONFIG_DATA_PORT = 0xcfc;
constexpr u64 FOUR_GIB = u64(4) << 30;

struct EcamWindow {
    u16 segment;
    u8 first_bus;
    u8 last_bus;
    volatile u8* base; // the address of bus 0's space, even when first_bus > 0
};

constinit Spinlock s_port_lock;
EcamWindow s_windows[acpi::Mcfg::MAX_SEGMENTS]; // written once at boot
usize s_window_count = 0;

const EcamWindow* window_for(Address address)
{
    for (usize i = 0; i < s_window_count; ++i) {
        const EcamWindow& window = s_windows[i];
        if (window.segment == address.segment && address.bus >= window.first_bus && address.bus <= window.last_bus)
            return &window;
    }
    return nullptr;
}

volatile u8* ecam_pointer(Address address, u16 offset)
{
    const EcamWindow* window = window_for(address);
    if (!window)
        return nullptr;
    usize function_offset = (usize(address.bus) << 20) | (usize(address.device & 31) << 15)
        | (usize(address.function & 7) << 12) | (offset & 0xfff);
    return window->base + function_offset;
}

u32 port_address(Address address, u16 offset)
{
    return 0x80000000u | (u32(address.bus) << 16) | (u32(address.device & 31) << 11) | (u32(address.function & 7) << 8)
        | (offset & 0xfc);
}

// Port mechanism #1 reaches segment 0 and the first 256 bytes only.
bool port_reachable(Address address, u16 offset)
{
    return address.segment == 0 && offset < 256;
}

} // namespace

void init_config_access(const acpi::Info* acpi)
{
    if (!acpi || !acpi->has_mcfg) {
        klog::info("pci: no MCFG; configuration space through ports 0xcf8/0xcfc");
        return;
    }
    for (usize i = 0; i < acpi->mcfg.segment_count && s_window_count < acpi::Mcfg::MAX_SEGMENTS; ++i) {
        const acpi::McfgSegment& segment = acpi->mcfg.segments[i];
        if (segment.end_bus < segment.start_bus)
            continue;
        PhysAddr first = segment.base + (PhysAddr(segment.start_bus) << 20);
        usize length = (usize(segment.end_bus - segment.start_bus) + 1) << 20;
        volatile u8* mapped;
        if (first + length <= FOUR_GIB) {
            // The first 4 GiB are in the direct map, non-RAM there uncached (MemoryManager.h).
            mapped = mm::phys_to_virt<volatile u8>(first);
        } else {
            auto mapping = mm::map_mmio(first, length);
            if (mapping.is_error()) {
                klog::warn("pci: cannot map ECAM window at {:#x}: {}", first, mapping.error());
                continue;
            }
            mapped = reinterpret_cast<volatile u8*>(mapping.value());
        }
        s_windows[s_window_count++]
            = { segment.segment, segment.start_bus, segment.end_bus, mapped - (usize(segment.start_bus) << 20) };
        klog::info("pci: ECAM segment {} buses {}-{} at {:#x}", segment.segment, segment.start_bus, segment.end_bus,
            segment.base);
    }
}

bool uses_ecam()
{
    return s_window_count > 0;
}

usize segment_count()
{
    return s_window_count > 0 ? s_window_count : 1;
}

u16 segment_at(usize index)
{
    return s_window_count > 0 ? s_windows[index].segment : 0;
}

bool bus_range(u16 segment, u8& first, u8& last)
{
    if (s_window_count == 0) {
        if (segment != 0)
            return false;
        first = 0;
        last = 255;
        return true;
    }
    for (usize i = 0; i < s_window_count; ++i) {
        if (s_windows[i].segment == segment) {
            first = s_windows[i].first_bus;
            last = s_windows[i].last_bus;
            return true;
        }
    }
    return false;
}

u32 read32(Address address, u16 offset)
{
    if (volatile u8* pointer = ecam_pointer(address, offset))
        return *reinterpret_cast<volatile u32*>(pointer);
    if (!port_reachable(address, offset))
        return 0xffffffff;
    SpinlockGuard guard(s_port_lock);
    x86::outl(CONFIG_ADDRESS_PORT, port_address(address, offset));
    return x86::inl(CONFIG_DATA_PORT);
}

u16 read16(Address address, u16 offset)
{
    if (volatile u8* pointer = ecam_pointer(address, offset))
        return *reinterpret_cast<volatile u16*>(pointer);
    if (!port_reachable(address, offset))
        return 0xffff;
    SpinlockGuard guard(s_port_lock);
    x86::outl(CONFIG_ADDRESS_PORT, port_address(address, offset));
    return x86::inw(static_cast<u16>(CONFIG_DATA_PORT + (offset & 2)));
}

u8 read8(Address address, u16 offset)
{
    if (volatile u8* pointer = ecam_pointer(address, offset))
        return *pointer;
    if (!port_reachable(address, offset))
        return 0xff;
    SpinlockGuard guard(s_port_lock);
    x86::outl(CONFIG_ADDRESS_PORT, port_address(address, offset));
    return x86::inb(static_cast<u16>(CONFIG_DATA_PORT + (offset & 3)));
}

void write32(Address address, u16 offset, u32 value)
{
    if (volatile u8* pointer = ecam_pointer(address, offset)) {
        *reinterpret_cast<volatile u32*>(pointer) = value;
        return;
    }
    if (!port_reachable(address, offset))
        return;
    SpinlockGuard guard(s_port_lock);
    x86::outl(CONFIG_ADDRESS_PORT, port_address(address, offset));
    x86::outl(CONFIG_DATA_PORT, value);
}

void write16(Address address, u16 offset, u16 value)
{
    if (volatile u8* pointer = ecam_pointer(address, offset)) {
        *reinterpret_cast<volatile u16*>(pointer) = value;
        return;
    }
    if (!port_reachable(address, offset))
        return;
    SpinlockGuard guard(s_port_lock);
    x86::outl(CONFIG_ADDRESS_PORT, port_address(address, offset));
    x86::outw(static_cast<u16>(CONFIG_DATA_PORT + (offset & 2)), value);
}

void write8(Address address, u16 offset, u8 value)
{
    if (volatile u8* pointer = ecam_pointer(address, offset)) {
        *pointer = value;
        return;
    }
    if (!port_reachable(address, offset))
        return;
    SpinlockGuard guard(s_port_lock);
    x86::outl(CONFIG_ADDRESS_PORT, port_address(address, offset));
    x86::outb(static_cast<u16>(CONFIG_DATA_PORT + (offset & 3)), value);
}

} // namespace pci
