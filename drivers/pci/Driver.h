#pragma once

// PCI drivers register declaratively: a constexpr record with a match table,
// placed in the .pci_drivers section (collected by boot/linker.ld), so the
// bus code needs no list of drivers and nothing runs before main.
//
//   constexpr pci::Match MATCHES[] = { pci::Match::id(0x1af4, 0x1001) };
//   PCI_DRIVER(virtio_blk, "virtio-blk", MATCHES, probe);
//
// probe() gets each matching device not yet claimed; an error is logged and
// the scan goes on. A device is claimed by the first driver whose probe
// succeeds.
#include <drivers/pci/Device.h>
#include <kernel/lib/Span.h>

namespace pci {

struct Match {
    static constexpr u16 ANY = 0xffff;
    u16 vendor_id { ANY };
    u16 device_id { ANY };
    u16 class_code { ANY };
    u16 subclass { ANY };
    u16 prog_if { ANY };

    static constexpr Match id(u16 vendor, u16 device) { return { vendor, device, ANY, ANY, ANY }; }
    static constexpr Match class_of(u8 class_code, u8 subclass, u16 prog_if = ANY)
    {
        return { ANY, ANY, class_code, subclass, prog_if };
    }
    constexpr bool matches(const Device& device) const
    {
        return (vendor_id == ANY || vendor_id == device.vendor_id)
            && (device_id == ANY || device_id == device.device_id)
            && (class_code == ANY || class_code == device.class_code)
            && (subclass == ANY || subclass == device.subclass) && (prog_if == ANY || prog_if == device.prog_if);
    }
};

struct Driver {
    const char* name;
    const Match* matches;
    usize match_count;
    ErrorOr<void> (*probe)(Device& device);
};

Span<const Driver> drivers();

} // namespace pci

#define PCI_DRIVER(identifier, name, matches, probe)                                                   \
    [[gnu::used, gnu::section(".pci_drivers")]] static constexpr ::pci::Driver pci_driver_##identifier \
    {                                                                                                  \
        name, matches, sizeof(matches) / sizeof(matches[0]), probe                                     \
    }
