// PCI listings; see Listing.h.
#include <drivers/pci/Device.h>
#include <drivers/pci/Listing.h>

namespace pci {

namespace {

StringView interrupt_name(InterruptKind kind)
{
    switch (kind) {
    case InterruptKind::MsiX:
        return "msix";
    case InterruptKind::Msi:
        return "msi";
    case InterruptKind::Intx:
        return "intx";
    case InterruptKind::None:
        break;
    }
    return "-";
}

StringView driver_name(const Device& device)
{
    return device.driver ? StringView(device.driver) : StringView("-");
}

} // namespace

void write_proc_listing(FormatSink& sink)
{
    for_each_device(
        [](Device& device, void* context) {
            format(*static_cast<FormatSink*>(context),
                "{:04x}:{:02x}:{:02x}.{} {:02x}{:02x}{:02x} {:04x}:{:04x} {:02x} {} {}\n", device.address.segment,
                device.address.bus, device.address.device, device.address.function, device.class_code, device.subclass,
                device.prog_if, device.vendor_id, device.device_id, device.revision,
                interrupt_name(device.interrupt_kind()), driver_name(device));
        },
        &sink);
}

void write_lspci(FormatSink& sink)
{
    for_each_device(
        [](Device& device, void* context) {
            char fallback[16];
            format(*static_cast<FormatSink*>(context), "{:02x}:{:02x}.{} {} [{:02x}{:02x}]: {:04x}:{:04x} (rev {:02x})",
                device.address.bus, device.address.device, device.address.function,
                class_name(device.class_code, device.subclass, fallback), device.class_code, device.subclass,
                device.vendor_id, device.device_id, device.revision);
            if (device.driver)
                format(*static_cast<FormatSink*>(context), " [{}, {}]", interrupt_name(device.interrupt_kind()),
                    driver_name(device));
            format(*static_cast<FormatSink*>(context), "\n");
        },
        &sink);
}

} // namespace pci
