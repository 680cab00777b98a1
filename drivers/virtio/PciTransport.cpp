// The virtio PCI transports; see Transport.h.
#include <drivers/virtio/Transport.h>
#include <kernel/arch/x86_64/Io.h>
#include <kernel/log/Log.h>
#include <kernel/mm/MemoryManager.h>

namespace virtio {

namespace {

constexpr u16 NO_VECTOR = 0xffff;

// virtio_pci_cap (4.1.4) fields, from the capability's start.
constexpr u16 CAP_CONFIG_TYPE = 3;
constexpr u16 CAP_BAR = 4;
constexpr u16 CAP_OFFSET = 8;
constexpr u16 CAP_LENGTH = 12;
constexpr u16 CAP_NOTIFY_MULTIPLIER = 16;

enum class ConfigType : u8 {
    Common = 1,
    Notify = 2,
    Isr = 3,
    Device = 4,
};

// virtio_pci_common_cfg (4.1.4.3) offsets.
enum class Common : u16 {
    DeviceFeatureSelect = 0x00,
    DeviceFeature = 0x04,
    DriverFeatureSelect = 0x08,
    DriverFeature = 0x0c,
    MsixConfig = 0x10,
    NumQueues = 0x12,
    DeviceStatus = 0x14,
    ConfigGeneration = 0x15,
    QueueSelect = 0x16,
    QueueSize = 0x18,
    QueueMsixVector = 0x1a,
    QueueEnable = 0x1c,
    QueueNotifyOff = 0x1e,
    QueueDescriptors = 0x20,
    QueueDriver = 0x28,
    QueueDevice = 0x30,
};

// The legacy I/O layout (4.1.4.8).
enum class Legacy : u16 {
    DeviceFeatures = 0x00,
    DriverFeatures = 0x04,
    QueueAddress = 0x08,
    QueueSize = 0x0c,
    QueueSelect = 0x0e,
    QueueNotify = 0x10,
    DeviceStatus = 0x12,
    Isr = 0x13,
    ConfigVector = 0x14,
    QueueVector = 0x16,
};
constexpr u16 LEGACY_CONFIG = 0x14;
constexpr u16 LEGACY_CONFIG_WITH_MSIX = 0x18;
constexpr u32 LEGACY_QUEUE_ALIGN_SHIFT = 12;

struct Region {
    volatile u8* base { nullptr };
    u32 length { 0 };
};

class ModernTransport final : public Transport {
public:
    ModernTransport(Region common, Region notify, u32 notify_multiplier, Region isr, Region device)
        : m_common(common)
        , m_notify(notify)
        , m_notify_multiplier(notify_multiplier)
        , m_isr(isr)
        , m_device(device)
    {
    }

    bool is_modern() const override { return true; }
    void reset() override
    {
        write8(Common::DeviceStatus, 0);
        // The reset is done when the status reads back 0 (4.1.4.3.2).
        for (int i = 0; i < 1000000 && read8(Common::DeviceStatus) != 0; ++i)
            asm volatile("pause");
    }
    u8 read_status() override { return read8(Common::DeviceStatus); }
    void write_status(u8 value) override { write8(Common::DeviceStatus, value); }
    u64 device_features() override
    {
        write32(Common::DeviceFeatureSelect, 0);
        u64 low = read32(Common::DeviceFeature);
        write32(Common::DeviceFeatureSelect, 1);
        return low | (u64(read32(Common::DeviceFeature)) << 32);
    }
    void write_driver_features(u64 features) override
    {
        write32(Common::DriverFeatureSelect, 0);
        write32(Common::DriverFeature, static_cast<u32>(features));
        write32(Common::DriverFeatureSelect, 1);
        write32(Common::DriverFeature, static_cast<u32>(features >> 32));
    }
    u16 queue_max_size(u16 index) override
    {
        write16(Common::QueueSelect, index);
        return read16(Common::QueueSize);
    }
    ErrorOr<void> setup_queue(
        u16 index, u16 size, PhysAddr descriptors, PhysAddr available, PhysAddr used, bool use_msix) override
    {
        write16(Common::QueueSelect, index);
        write16(Common::QueueSize, size);
        write64(Common::QueueDescriptors, descriptors);
        write64(Common::QueueDriver, available);
        write64(Common::QueueDevice, used);
        if (use_msix) {
            write16(Common::MsixConfig, NO_VECTOR);
            write16(Common::QueueMsixVector, 0);
            if (read16(Common::QueueMsixVector) != 0)
                return Error::from_errno(EIO); // the device could not take the vector
        }
        u32 offset = u32(read16(Common::QueueNotifyOff)) * m_notify_multiplier;
        if (offset + 2 > m_notify.length)
            return Error::from_errno(EINVAL);
        m_queue_notify = reinterpret_cast<volatile u16*>(m_notify.base + offset);
        m_notify_index = index;
        write16(Common::QueueEnable, 1);
        return {};
    }
    void notify(u16 index) override
    {
        if (index == m_notify_index && m_queue_notify)
            *m_queue_notify = index;
    }
    u8 read_isr() override { return m_isr.base ? *m_isr.base : 0; }
    u8 read_config8(u16 offset) override { return offset + 1u <= m_device.length ? m_device.base[offset] : 0; }
    u32 read_config32(u16 offset) override
    {
        return offset + 4u <= m_device.length ? *reinterpret_cast<volatile u32*>(m_device.base + offset) : 0;
    }

private:
    u8 read8(Common reg) { return m_common.base[static_cast<u16>(reg)]; }
    u16 read16(Common reg) { return *reinterpret_cast<volatile u16*>(m_common.base + static_cast<u16>(reg)); }
    u32 read32(Common reg) { return *reinterpret_cast<volatile u32*>(m_common.base + static_cast<u16>(reg)); }
    void write8(Common reg, u8 value) { m_common.base[static_cast<u16>(reg)] = value; }
    void write16(Common reg, u16 value)
    {
        *reinterpret_cast<volatile u16*>(m_common.base + static_cast<u16>(reg)) = value;
    }
    void write32(Common reg, u32 value)
    {
        *reinterpret_cast<volatile u32*>(m_common.base + static_cast<u16>(reg)) = value;
    }
    void write64(Common reg, u64 value)
    {
        // Two 32-bit writes, low first (4.1.3.1: 64-bit fields may be split).
        write32(reg, static_cast<u32>(value));
        write32(static_cast<Common>(static_cast<u16>(reg) + 4), static_cast<u32>(value >> 32));
    }

    Region m_common;
    Region m_notify;
    u32 m_notify_multiplier;
    Region m_isr;
    Region m_device;
    volatile u16* m_queue_notify { nullptr };
    u16 m_notify_index { 0 };
};

class LegacyTransport final : public Transport {
public:
    LegacyTransport(pci::Device& device, u16 base)
        : m_pci(device)
        , m_base(base)
    {
    }

    bool is_modern() const override { return false; }
    void reset() override { x86::outb(port(Legacy::DeviceStatus), 0); }
    u8 read_status() override { return x86::inb(port(Legacy::DeviceStatus)); }
    void write_status(u8 value) override { x86::outb(port(Legacy::DeviceStatus), value); }
    u64 device_features() override { return x86::inl(port(Legacy::DeviceFeatures)); }
    void write_driver_features(u64 features) override
    {
        x86::outl(port(Legacy::DriverFeatures), static_cast<u32>(features));
    }
    u16 queue_max_size(u16 index) override
    {
        x86::outw(port(Legacy::QueueSelect), index);
        return x86::inw(port(Legacy::QueueSize));
    }
    ErrorOr<void> setup_queue(u16 index, u16 size, PhysAddr descriptors, PhysAddr, PhysAddr, bool use_msix) override
    {
        x86::outw(port(Legacy::QueueSelect), index);
        if (x86::inw(port(Legacy::QueueSize)) != size || descriptors % (1u << LEGACY_QUEUE_ALIGN_SHIFT) != 0
            || (descriptors >> LEGACY_QUEUE_ALIGN_SHIFT) > 0xffffffffu)
            return Error::from_errno(EINVAL);
        if (use_msix) {
            x86::outw(port(Legacy::ConfigVector), NO_VECTOR);
            x86::outw(port(Legacy::QueueVector), 0);
            if (x86::inw(port(Legacy::QueueVector)) != 0)
                return Error::from_errno(EIO);
        }
        x86::outl(port(Legacy::QueueAddress), static_cast<u32>(descriptors >> LEGACY_QUEUE_ALIGN_SHIFT));
        return {};
    }
    void notify(u16 index) override { x86::outw(port(Legacy::QueueNotify), index); }
    u8 read_isr() override { return x86::inb(port(Legacy::Isr)); }
    u8 read_config8(u16 offset) override { return x86::inb(static_cast<u16>(config_base() + offset)); }
    u32 read_config32(u16 offset) override { return x86::inl(static_cast<u16>(config_base() + offset)); }

private:
    u16 port(Legacy reg) const { return static_cast<u16>(m_base + static_cast<u16>(reg)); }
    // The device configuration moves when MSI-X is on (4.1.4.8).
    u16 config_base() const
    {
        bool msix = m_pci.interrupt_kind() == pci::InterruptKind::MsiX;
        return static_cast<u16>(m_base + (msix ? LEGACY_CONFIG_WITH_MSIX : LEGACY_CONFIG));
    }

    pci::Device& m_pci;
    u16 m_base;
};

// Finds the structure of `type` and maps its part of the BAR.
ErrorOr<Region> map_structure(pci::Device& device, ConfigType type, u8* capability_out = nullptr)
{
    for (u8 cap = device.find_capability(pci::Capability::VendorSpecific); cap;
         cap = device.find_capability(pci::Capability::VendorSpecific, cap)) {
        if (pci::read8(device.address, static_cast<u16>(cap + CAP_CONFIG_TYPE)) != static_cast<u8>(type))
            continue;
        u8 bar_index = pci::read8(device.address, static_cast<u16>(cap + CAP_BAR));
        u32 offset = pci::read32(device.address, static_cast<u16>(cap + CAP_OFFSET));
        u32 length = pci::read32(device.address, static_cast<u16>(cap + CAP_LENGTH));
        if (bar_index >= pci::BAR_COUNT)
            continue;
        const pci::Bar& bar = device.bars[bar_index];
        if (bar.kind != pci::Bar::Kind::Memory32 && bar.kind != pci::Bar::Kind::Memory64)
            continue;
        if (u64(offset) + length > bar.size || length == 0)
            return Error::from_errno(EINVAL);
        VirtAddr mapped = TRY(mm::map_mmio(bar.address + offset, length));
        if (capability_out)
            *capability_out = cap;
        return Region { reinterpret_cast<volatile u8*>(mapped), length };
    }
    return Error::from_errno(ENODEV);
}

ErrorOr<OwnPtr<Transport>> create_modern(pci::Device& device)
{
    Region common = TRY(map_structure(device, ConfigType::Common));
    if (common.length < 0x38)
        return Error::from_errno(EINVAL);
    u8 notify_cap = 0;
    Region notify = TRY(map_structure(device, ConfigType::Notify, &notify_cap));
    u32 multiplier = pci::read32(device.address, static_cast<u16>(notify_cap + CAP_NOTIFY_MULTIPLIER));
    Region isr = TRY(map_structure(device, ConfigType::Isr));
    Region config {};
    if (auto mapped = map_structure(device, ConfigType::Device); !mapped.is_error())
        config = mapped.value();
    auto transport
        = TRY(adopt_own_if_nonnull(new (std::nothrow) ModernTransport(common, notify, multiplier, isr, config)));
    return OwnPtr<Transport>(lib::move(transport));
}

} // namespace

ErrorOr<OwnPtr<Transport>> create_pci_transport(pci::Device& device)
{
    device.enable(true);
    auto modern = create_modern(device);
    if (!modern.is_error())
        return modern.release_value();
    if (device.bars[0].kind != pci::Bar::Kind::Io)
        return modern.release_error();
    klog::info("virtio: {:02x}:{:02x}.{}: no modern capabilities ({}); legacy transport", device.address.bus,
        device.address.device, device.address.function, modern.error());
    auto legacy = TRY(
        adopt_own_if_nonnull(new (std::nothrow) LegacyTransport(device, static_cast<u16>(device.bars[0].address))));
    return OwnPtr<Transport>(lib::move(legacy));
}

} // namespace virtio
