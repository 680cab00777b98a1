// A PCI function's capabilities, decoding and BAR mapping; see Device.h.
#include <drivers/pci/Device.h>
#include <kernel/mm/MemoryManager.h>

namespace pci {

u8 Device::find_capability(Capability id, u8 after) const
{
    if (!(read16(address, Register::Status) & STATUS_CAPABILITIES_LIST))
        return 0;
    u8 offset = after ? read8(address, static_cast<u16>(after + 1)) : read8(address, Register::CapabilitiesPointer);
    // 48 capabilities fill the 192 bytes after the header: more means a loop.
    for (int hops = 0; hops < 48 && offset >= 0x40; ++hops) {
        offset &= 0xfc;
        if (read8(address, offset) == static_cast<u8>(id))
            return offset;
        offset = read8(address, static_cast<u16>(offset + 1));
    }
    return 0;
}

void Device::enable(bool bus_master)
{
    u16 command = read_command();
    command |= command::MEMORY_SPACE | command::IO_SPACE;
    if (bus_master)
        command |= command::BUS_MASTER;
    write16(address, Register::Command, command);
}

ErrorOr<volatile u8*> Device::map_bar(usize index)
{
    if (index >= BAR_COUNT)
        return Error::from_errno(EINVAL);
    const Bar& bar = bars[index];
    if ((bar.kind != Bar::Kind::Memory32 && bar.kind != Bar::Kind::Memory64) || bar.size == 0 || bar.address == 0)
        return Error::from_errno(EINVAL);
    VirtAddr mapped = TRY(mm::map_mmio(bar.address, static_cast<usize>(bar.size)));
    return reinterpret_cast<volatile u8*>(mapped);
}

} // namespace pci
