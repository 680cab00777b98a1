// kshell's lspci: every PCI function, one line each, in the format of
// drivers/pci/Listing.h:
//   00:1f.2 SATA controller [0106]: 8086:2922 (rev 02) [msi, ahci]
// The bracket at the end names the interrupt kind and the driver of a
// claimed function. `lspci -v` adds each function's BARs.
#include <drivers/pci/Device.h>
#include <drivers/pci/Listing.h>
#include <kernel/console/Console.h>
#include <kernel/kshell/Command.h>

namespace {

StringView bar_kind(pci::Bar::Kind kind)
{
    switch (kind) {
    case pci::Bar::Kind::Io:
        return "I/O ports";
    case pci::Bar::Kind::Memory32:
        return "memory (32-bit)";
    case pci::Bar::Kind::Memory64:
        return "memory (64-bit)";
    case pci::Bar::Kind::None:
        break;
    }
    return "none";
}

void lspci(kshell::Arguments args)
{
    bool verbose = args.size() > 1 && args[1] == "-v";
    if (!verbose) {
        pci::write_lspci(console::sink());
        return;
    }
    pci::for_each_device(
        [](pci::Device& device, void*) {
            char fallback[16];
            console::print("{:02x}:{:02x}.{} {} [{:02x}{:02x}]: {:04x}:{:04x} (rev {:02x})\n", device.address.bus,
                device.address.device, device.address.function,
                pci::class_name(device.class_code, device.subclass, fallback), device.class_code, device.subclass,
                device.vendor_id, device.device_id, device.revision);
            for (usize i = 0; i < pci::BAR_COUNT; ++i) {
                const pci::Bar& bar = device.bars[i];
                if (bar.kind == pci::Bar::Kind::None)
                    continue;
                console::print("\tBAR{}: {} at {:#x} [size={:#x}]{}\n", i, bar_kind(bar.kind), bar.address, bar.size,
                    bar.prefetchable ? " prefetchable" : "");
            }
            if (device.interrupt_pin)
                console::print(
                    "\tINT{:c} line {}\n", static_cast<char>('A' + device.interrupt_pin - 1), device.interrupt_line);
            if (device.driver)
                console::print("\tdriver {}, vector {:#x}\n", device.driver, device.interrupt_vector());
        },
        nullptr);
}

} // namespace

KSHELL_COMMAND("lspci", "PCI functions (-v: with BARs and interrupts)", lspci);
