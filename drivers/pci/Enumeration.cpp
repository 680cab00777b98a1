// The bus scan and driver probing; see Device.h and Driver.h.
//
// Every bus in each segment's range is scanned (buses behind bridges
// included, whatever numbers the firmware gave them): 32 devices, and
// functions 1..7 only when function 0 says it is multi-function. That is
// 8192 probes of one register per segment, a few milliseconds even
// through the I/O ports.
#include <drivers/pci/Driver.h>
#include <kernel/log/Log.h>

extern "C" const pci::Driver _pci_drivers_start[];
extern "C" const pci::Driver _pci_drivers_end[];

namespace pci {

namespace {

constexpr usize MAX_DEVICES = 64;
constexpr u8 HEADER_TYPE_MULTI_FUNCTION = 0x80;
constexpr u8 HEADER_TYPE_MASK = 0x7f;
constexpr u32 BAR_IO = 1u << 0;
constexpr u32 BAR_TYPE_MASK = 3u << 1;
constexpr u32 BAR_TYPE_64 = 2u << 1;
constexpr u32 BAR_PREFETCHABLE = 1u << 3;

// Filled by the scan at boot, then read-only except each Device's driver
// and interrupt state, which belong to the driver that claimed it.
constinit Device s_devices[MAX_DEVICES];
usize s_device_count = 0;

// Sizes BAR `index` by writing all ones with decoding off (PCI 3.0
// 6.2.5.1). Returns how many BAR slots it used (2 for a 64-bit BAR).
usize decode_bar(Device& device, usize index)
{
    u16 offset = static_cast<u16>(static_cast<u16>(Register::Bar0) + index * 4);
    u32 original = read32(device.address, offset);
    write32(device.address, offset, 0xffffffff);
    u32 mask = read32(device.address, offset);
    write32(device.address, offset, original);
    Bar& bar = device.bars[index];
    if (mask == 0 || mask == 0xffffffff)
        return 1;
    if (original & BAR_IO) {
        u32 size_mask = mask & ~u32(3);
        bar.kind = Bar::Kind::Io;
        bar.address = original & ~u32(3);
        bar.size = (~size_mask + 1) & 0xffff;
        return 1;
    }
    bar.prefetchable = original & BAR_PREFETCHABLE;
    if ((original & BAR_TYPE_MASK) == BAR_TYPE_64 && index + 1 < BAR_COUNT) {
        u16 high_offset = static_cast<u16>(offset + 4);
        u32 original_high = read32(device.address, high_offset);
        write32(device.address, high_offset, 0xffffffff);
        u32 mask_high = read32(device.address, high_offset);
        write32(device.address, high_offset, original_high);
        u64 size_mask = (u64(mask_high) << 32) | (mask & ~u32(0xf));
        bar.kind = Bar::Kind::Memory64;
        bar.address = (u64(original_high) << 32) | (original & ~u32(0xf));
        bar.size = ~size_mask + 1;
        return 2;
    }
    bar.kind = Bar::Kind::Memory32;
    bar.address = original & ~u32(0xf);
    bar.size = u32(~(mask & ~u32(0xf)) + 1);
    return 1;
}

void decode_bars(Device& device)
{
    if (device.header_type != 0)
        return; // bridges' BARs are not for drivers here
    // Decoding off while the BARs hold all ones, so no access hits a bogus range.
    u16 command = device.read_command();
    write16(
        device.address, Register::Command, static_cast<u16>(command & ~(command::IO_SPACE | command::MEMORY_SPACE)));
    for (usize index = 0; index < BAR_COUNT;)
        index += decode_bar(device, index);
    write16(device.address, Register::Command, command);
}

void add_function(Address address)
{
    if (s_device_count == MAX_DEVICES) {
        klog::warn("pci: more than {} functions; {:02x}:{:02x}.{} ignored", MAX_DEVICES, address.bus, address.device,
            address.function);
        return;
    }
    Device& device = s_devices[s_device_count++];
    device.address = address;
    device.vendor_id = read16(address, Register::VendorId);
    device.device_id = read16(address, Register::DeviceId);
    device.revision = read8(address, Register::Revision);
    device.prog_if = read8(address, Register::ProgIf);
    device.subclass = read8(address, Register::Subclass);
    device.class_code = read8(address, Register::ClassCode);
    device.header_type = read8(address, Register::HeaderType) & HEADER_TYPE_MASK;
    if (device.header_type == 0) {
        device.subsystem_vendor_id = read16(address, Register::SubsystemVendorId);
        device.subsystem_id = read16(address, Register::SubsystemId);
        device.interrupt_line = read8(address, Register::InterruptLine);
        device.interrupt_pin = read8(address, Register::InterruptPin);
    }
    decode_bars(device);
}

void scan_segment(u16 segment)
{
    u8 first_bus, last_bus;
    if (!bus_range(segment, first_bus, last_bus))
        return;
    for (u32 bus = first_bus; bus <= last_bus; ++bus) {
        for (u8 slot = 0; slot < 32; ++slot) {
            Address address { segment, static_cast<u8>(bus), slot, 0 };
            if (read16(address, Register::VendorId) == 0xffff)
                continue;
            u8 functions = (read8(address, Register::HeaderType) & HEADER_TYPE_MULTI_FUNCTION) ? 8 : 1;
            for (u8 function = 0; function < functions; ++function) {
                address.function = function;
                if (read16(address, Register::VendorId) != 0xffff)
                    add_function(address);
            }
        }
    }
}

void probe(Device& device)
{
    for (const Driver& driver : drivers()) {
        bool matched = false;
        for (usize i = 0; i < driver.match_count && !matched; ++i)
            matched = driver.matches[i].matches(device);
        if (!matched)
            continue;
        auto result = driver.probe(device);
        if (result.is_error()) {
            klog::warn("pci: {:02x}:{:02x}.{}: {} probe failed: {}", device.address.bus, device.address.device,
                device.address.function, driver.name, result.error());
            continue;
        }
        device.driver = driver.name;
        return;
    }
}

} // namespace

Span<const Driver> drivers()
{
    return { _pci_drivers_start, static_cast<usize>(_pci_drivers_end - _pci_drivers_start) };
}

void for_each_device(void (*visit)(Device& device, void* context), void* context)
{
    for (usize i = 0; i < s_device_count; ++i)
        visit(s_devices[i], context);
}

usize device_count()
{
    return s_device_count;
}

void enumerate_and_probe(const acpi::Info* acpi)
{
    init_config_access(acpi);
    for (usize i = 0; i < segment_count(); ++i)
        scan_segment(segment_at(i));
    klog::info("pci: {} functions found ({})", s_device_count, uses_ecam() ? "ECAM" : "port I/O");
    for (usize i = 0; i < s_device_count; ++i)
        probe(s_devices[i]);
}

StringView class_name(u8 class_code, u8 subclass, char* fallback)
{
    struct Name {
        u8 class_code;
        u8 subclass;
        const char* name;
    };
    static constexpr Name NAMES[] = {
        { 0x01, 0x00, "SCSI storage controller" },
        { 0x01, 0x01, "IDE interface" },
        { 0x01, 0x06, "SATA controller" },
        { 0x01, 0x08, "Non-Volatile memory controller" },
        { 0x01, 0x80, "Mass storage controller" },
        { 0x02, 0x00, "Ethernet controller" },
        { 0x03, 0x00, "VGA compatible controller" },
        { 0x03, 0x80, "Display controller" },
        { 0x04, 0x03, "Audio device" },
        { 0x06, 0x00, "Host bridge" },
        { 0x06, 0x01, "ISA bridge" },
        { 0x06, 0x04, "PCI bridge" },
        { 0x0c, 0x03, "USB controller" },
        { 0x0c, 0x05, "SMBus" },
    };
    for (const Name& name : NAMES) {
        if (name.class_code == class_code && name.subclass == subclass)
            return name.name;
    }
    static constexpr char HEX[] = "0123456789abcdef";
    const char prefix[] = "class ";
    usize n = 0;
    for (; prefix[n]; ++n)
        fallback[n] = prefix[n];
    fallback[n++] = HEX[class_code >> 4];
    fallback[n++] = HEX[class_code & 15];
    fallback[n++] = HEX[subclass >> 4];
    fallback[n++] = HEX[subclass & 15];
    fallback[n] = '\0';
    return { fallback, n };
}

} // namespace pci
