#pragma once

// The virtio PCI transport (virtio 1.2, section 4.1): the modern one through
// the vendor-specific capabilities (common, notify, ISR and device
// configuration structures in memory BARs), and the legacy one (4.1.4.8:
// one I/O BAR with a fixed layout) for devices without the capabilities.
// Drivers see one interface and never know which is in use.
//
// Queue memory is laid out the legacy way (descriptors, available ring,
// used ring at the next 4 KiB boundary) for both, so one Virtqueue serves
// both transports.
#include <drivers/pci/Device.h>
#include <kernel/lib/OwnPtr.h>

namespace virtio {

// Device status bits (2.1).
namespace status {
inline constexpr u8 ACKNOWLEDGE = 1;
inline constexpr u8 DRIVER = 2;
inline constexpr u8 DRIVER_OK = 4;
inline constexpr u8 FEATURES_OK = 8;
inline constexpr u8 FAILED = 128;
} // namespace status

inline constexpr u64 FEATURE_VERSION_1 = 1ull << 32;

class Transport {
public:
    virtual ~Transport() = default;

    // Modern (true) or legacy (false).
    virtual bool is_modern() const = 0;
    virtual void reset() = 0;
    virtual u8 read_status() = 0;
    virtual void write_status(u8 status) = 0;
    virtual u64 device_features() = 0;
    virtual void write_driver_features(u64 features) = 0;

    // The largest size the device allows for queue `index` (0: no queue).
    virtual u16 queue_max_size(u16 index) = 0;
    // Tells the device where queue `index` of `size` entries lives (legacy:
    // the size must be the device's, and the memory 4 KiB aligned) and,
    // with message interrupts, that it signals on vector entry 0.
    virtual ErrorOr<void> setup_queue(
        u16 index, u16 size, PhysAddr descriptors, PhysAddr available, PhysAddr used, bool use_msix)
        = 0;
    virtual void notify(u16 index) = 0;
    // Reads and clears the ISR status (bit 0: a queue interrupt, bit 1: a
    // configuration change). Needed for INTx, where the line is shared.
    virtual u8 read_isr() = 0;
    // Device-specific configuration, little endian.
    virtual u8 read_config8(u16 offset) = 0;
    virtual u32 read_config32(u16 offset) = 0;
    u64 read_config64(u16 offset) { return u64(read_config32(offset)) | (u64(read_config32(offset + 4)) << 32); }
};

// The modern transport when the device has the capabilities, the legacy one
// when it has an I/O BAR 0; ENODEV otherwise. Enables the device's
// decoding and bus mastering.
ErrorOr<OwnPtr<Transport>> create_pci_transport(pci::Device& device);

} // namespace virtio
