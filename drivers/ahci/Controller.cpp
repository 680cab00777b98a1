// The AHCI host bus adapter (Serial ATA AHCI 1.3.1): finds the ports with
// ATA disks, hands each to a SataDisk, and routes the controller's one
// interrupt to the ports that raised it (the global IS register says which;
// a port's bit is cleared after its own status, 10.7.2).
//
// Matches class 01h subclass 06h prog-if 01h (AHCI), so QEMU's ich9-ahci
// (built into q35, or -device ahci) and any other AHCI controller.
#include <drivers/ahci/Registers.h>
#include <drivers/ahci/SataDisk.h>
#include <drivers/pci/Driver.h>
#include <fs/block/Partitions.h>
#include <kernel/log/Log.h>
#include <kernel/mm/MemoryManager.h>

namespace ahci {

namespace {

constexpr usize ABAR_INDEX = 5;

struct Controller {
    volatile u8* registers;
    SataDisk* ports[MAX_PORTS]; // each holds a reference, never dropped
};

u32 read(volatile u8* registers, Hba reg)
{
    return *reinterpret_cast<volatile u32*>(registers + static_cast<u32>(reg));
}

void write(volatile u8* registers, Hba reg, u32 value)
{
    *reinterpret_cast<volatile u32*>(registers + static_cast<u32>(reg)) = value;
}

void handle_interrupt(void* context)
{
    auto& controller = *static_cast<Controller*>(context);
    u32 pending = read(controller.registers, Hba::InterruptStatus);
    if (!pending)
        return;
    for (u32 port = 0; port < MAX_PORTS; ++port) {
        if (!(pending & (1u << port)))
            continue;
        if (SataDisk* disk = controller.ports[port])
            disk->handle_interrupt();
        else {
            // A port not driven (the CD drive): clear its status so the line drops.
            volatile u8* port_registers = controller.registers + PORT_BASE + usize(port) * PORT_STRIDE;
            auto* status = reinterpret_cast<volatile u32*>(port_registers + static_cast<u32>(Port::InterruptStatus));
            *status = *status;
        }
    }
    write(controller.registers, Hba::InterruptStatus, pending);
}

ErrorOr<void> probe(pci::Device& device)
{
    const pci::Bar& abar = device.bars[ABAR_INDEX];
    if (abar.kind != pci::Bar::Kind::Memory32 && abar.kind != pci::Bar::Kind::Memory64)
        return Error::from_errno(ENODEV);
    device.enable(true);
    volatile u8* registers = TRY(device.map_bar(ABAR_INDEX));
    auto* controller = lib::new_object<Controller>();
    if (!controller)
        return Error::from_errno(ENOMEM);
    controller->registers = registers;
    for (auto& port : controller->ports)
        port = nullptr;

    write(registers, Hba::GlobalControl, read(registers, Hba::GlobalControl) | ghc::AHCI_ENABLE);
    u32 capabilities = read(registers, Hba::Capabilities);
    u32 implemented = read(registers, Hba::PortsImplemented);
    bool dma_64bit = capabilities & cap::SUPPORTS_64BIT;

    // The interrupt first: IDENTIFY waits for it.
    if (auto enabled = device.enable_interrupt(handle_interrupt, controller, "ahci"); enabled.is_error()) {
        delete controller;
        (void)mm::unmap_mmio(reinterpret_cast<VirtAddr>(registers), static_cast<usize>(abar.size));
        return enabled.release_error();
    }
    write(registers, Hba::InterruptStatus, 0xffffffff);
    write(registers, Hba::GlobalControl, read(registers, Hba::GlobalControl) | ghc::INTERRUPT_ENABLE);

    usize disks = 0;
    for (u32 port = 0; port < MAX_PORTS; ++port) {
        if (!(implemented & (1u << port)))
            continue;
        volatile u8* port_registers = registers + PORT_BASE + usize(port) * PORT_STRIDE;
        auto made = try_make_ref_counted<SataDisk>(port_registers, port);
        if (made.is_error()) {
            klog::warn("ahci: port {}: {}", port, made.error());
            continue;
        }
        auto disk = made.release_value();
        // Published before IDENTIFY, so the interrupt handler finds the port.
        __atomic_store_n(&controller->ports[port], disk.ptr(), __ATOMIC_RELEASE);
        if (auto initialized = disk->initialize(dma_64bit); initialized.is_error()) {
            __atomic_store_n(&controller->ports[port], nullptr, __ATOMIC_RELEASE);
            if (initialized.error().code() != ENODEV)
                klog::warn("ahci: port {}: {}", port, initialized.error());
            continue;
        }
        disk->ref(); // the controller's reference: disks live for the whole run
        if (auto registered = block::register_device(disk); registered.is_error()) {
            klog::warn("ahci: {}: cannot register: {}", disk->name(), registered.error());
            continue;
        }
        publish_disk(*disk);
        ++disks;
        klog::info("ahci: {} on port {}: '{}', {} sectors ({} MiB)", disk->name(), port, disk->model(),
            disk->sector_count(), disk->sector_count() / 2048);
        auto partitions = block::register_partitions(disk);
        if (partitions.is_error())
            klog::warn("ahci: {}: partition table refused: {}", disk->name(), partitions.error());
        else if (partitions.value() > 0)
            klog::info("ahci: {}: {} partition(s)", disk->name(), partitions.value());
    }
    klog::info("ahci: controller at {:02x}:{:02x}.{}: {} ports implemented, {} disk(s), {} interrupt",
        device.address.bus, device.address.device, device.address.function, __builtin_popcount(implemented), disks,
        device.interrupt_kind() == pci::InterruptKind::Intx ? "INTx" : "message");
    return {};
}

constexpr pci::Match MATCHES[] = { pci::Match::class_of(0x01, 0x06, 0x01) };

} // namespace

PCI_DRIVER(ahci, "ahci", MATCHES, probe);

} // namespace ahci
