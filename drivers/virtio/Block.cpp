// virtio-blk; see Block.h.
#include <drivers/pci/Driver.h>
#include <drivers/virtio/Block.h>
#include <fs/block/Partitions.h>
#include <kernel/log/Log.h>
#include <kernel/mm/Layout.h>
#include <kernel/mm/PhysicalMemory.h>
#include <kernel/time/Clock.h>

namespace virtio {

namespace {

// Feature bits (5.2.3).
constexpr u64 FEATURE_READ_ONLY = 1ull << 5;
constexpr u64 FEATURE_FLUSH = 1ull << 9;

constexpr u16 QUEUE_SIZE = 64; // 3 descriptors per slot fit
constexpr usize HEADER_STRIDE = 32;
constexpr usize STATUS_OFFSET = 16;
constexpr u8 STATUS_OK = 0;
constexpr u8 STATUS_PENDING = 0xff;

// Under TCG a 64 KiB request takes milliseconds; a request still out after
// this long is not coming back.
constexpr u64 REQUEST_TIMEOUT_NS = 30'000'000'000ull;
constexpr u64 POLL_INTERVAL_NS = 1'000'000'000ull;

constexpr u64 CHUNK_FRAMES = BlockDevice::CHUNK_BYTES / PAGE_SIZE;

constinit lib::Atomic<u32> s_next_disk { 0 };

struct RequestHeader {
    u32 type;
    u32 reserved;
    u64 sector;
};

} // namespace

ErrorOr<NonnullRefPtr<BlockDevice>> BlockDevice::try_create(pci::Device& device)
{
    auto disk = TRY(try_make_ref_counted<BlockDevice>());
    TRY(disk->init(device));
    return disk;
}

BlockDevice::~BlockDevice()
{
    // Disks live for the whole run; this only runs when a probe failed. The
    // reset stops the device from touching the memory freed here (and by
    // m_queue's destructor, after this body); then the handler goes.
    if (m_transport)
        m_transport->reset();
    if (m_interrupt_enabled)
        m_pci->disable_interrupt(handle_interrupt, this);
    for (Slot& slot : m_slots) {
        if (slot.data)
            (void)mm::free_frames(slot.data_physical, CHUNK_FRAMES);
    }
    if (m_headers)
        (void)mm::free_frame(m_headers_physical);
}

ErrorOr<void> BlockDevice::init(pci::Device& device)
{
    m_pci = &device;
    m_headers_physical = TRY(mm::allocate_frame());
    m_headers = mm::phys_to_virt<u8>(m_headers_physical);
    __builtin_memset(m_headers, 0, PAGE_SIZE);
    for (Slot& slot : m_slots) {
        slot.data_physical = TRY(mm::allocate_frames(CHUNK_FRAMES));
        slot.data = mm::phys_to_virt<u8>(slot.data_physical);
    }

    // Initialization sequence (3.1.1).
    m_transport = TRY(create_pci_transport(device));
    Transport& transport = *m_transport;
    transport.reset();
    transport.write_status(status::ACKNOWLEDGE);
    transport.write_status(status::ACKNOWLEDGE | status::DRIVER);
    u64 offered = transport.device_features();
    u64 wanted = FEATURE_READ_ONLY | FEATURE_FLUSH;
    if (transport.is_modern()) {
        if (!(offered & FEATURE_VERSION_1))
            return Error::from_errno(ENODEV);
        wanted |= FEATURE_VERSION_1;
    }
    u64 accepted = offered & wanted;
    transport.write_driver_features(accepted);
    u8 driver_status = status::ACKNOWLEDGE | status::DRIVER;
    if (transport.is_modern()) {
        driver_status |= status::FEATURES_OK;
        transport.write_status(driver_status);
        if (!(transport.read_status() & status::FEATURES_OK)) {
            transport.write_status(status::FAILED);
            return Error::from_errno(ENODEV);
        }
    }
    m_read_only = accepted & FEATURE_READ_ONLY;
    m_has_flush = accepted & FEATURE_FLUSH;

    auto kind = device.enable_interrupt(handle_interrupt, this, "virtio-blk");
    if (kind.is_error()) {
        transport.write_status(status::FAILED);
        return kind.release_error();
    }
    m_interrupt_enabled = true;
    bool msix = kind.value() == pci::InterruptKind::MsiX;
    u16 maximum = transport.queue_max_size(0);
    if (maximum == 0) {
        transport.write_status(status::FAILED);
        return Error::from_errno(ENODEV);
    }
    // Legacy queues have the device's size; modern ones any power of two up to it.
    u16 size = transport.is_modern() ? min(maximum, QUEUE_SIZE) : maximum;
    if (size < 3 * SLOT_COUNT) {
        transport.write_status(status::FAILED);
        return Error::from_errno(ENODEV);
    }
    if (auto queued = m_queue.init(transport, 0, size, msix); queued.is_error()) {
        transport.write_status(status::FAILED);
        return queued.release_error();
    }
    // Each slot's fixed chain: header, data, status.
    for (u16 i = 0; i < SLOT_COUNT; ++i) {
        Descriptor& header = m_queue.descriptor(static_cast<u16>(3 * i));
        Descriptor& data = m_queue.descriptor(static_cast<u16>(3 * i + 1));
        Descriptor& status_descriptor = m_queue.descriptor(static_cast<u16>(3 * i + 2));
        header.address = m_headers_physical + i * HEADER_STRIDE;
        header.length = sizeof(RequestHeader);
        data.address = m_slots[i].data_physical;
        status_descriptor.address = m_headers_physical + i * HEADER_STRIDE + STATUS_OFFSET;
        status_descriptor.length = 1;
        status_descriptor.flags = descriptor_flag::WRITE;
    }
    m_free_mask.store((1u << SLOT_COUNT) - 1);
    transport.write_status(static_cast<u8>(driver_status | status::DRIVER_OK));

    m_sector_count = transport.read_config64(0); // capacity, in 512-byte sectors
    u32 number = s_next_disk.fetch_add(1);
    if (number >= 26)
        return Error::from_errno(ENOSPC);
    m_name[2] = static_cast<char>('a' + number);
    klog::info("virtio-blk: {} at {:02x}:{:02x}.{}: {} sectors ({} MiB), {} transport, {} interrupt{}{}", name(),
        device.address.bus, device.address.device, device.address.function, m_sector_count, m_sector_count / 2048,
        transport.is_modern() ? "modern" : "legacy",
        msix ? "MSI-X" : (kind.value() == pci::InterruptKind::Msi ? "MSI" : "INTx"), m_read_only ? ", read-only" : "",
        m_has_flush ? ", flush" : "");
    return {};
}

void BlockDevice::handle_interrupt(void* context)
{
    auto& disk = *static_cast<BlockDevice*>(context);
    // On a shared INTx line, the ISR says whether this device interrupted
    // (reading it also lowers the line). Messages are never shared.
    if (disk.m_pci->interrupt_kind() == pci::InterruptKind::Intx && !(disk.m_transport->read_isr() & 1))
        return;
    disk.reap_completions();
}

void BlockDevice::reap_completions()
{
    bool any = false;
    {
        SpinlockGuard guard(m_queue_lock);
        UsedElement element;
        while (m_queue.take_used(element)) {
            usize slot = element.id / 3;
            if (slot < SLOT_COUNT && element.id % 3 == 0
                && m_slots[slot].state.load() == static_cast<u8>(SlotState::InFlight)) {
                m_slots[slot].state.store(static_cast<u8>(SlotState::Done));
                any = true;
            }
        }
    }
    if (any && sched::is_running())
        m_completion_wait.wake_all();
}

usize BlockDevice::acquire_slot(bool wait)
{
    for (;;) {
        u32 mask = m_free_mask.load();
        if (mask == 0) {
            if (!wait)
                return SLOT_COUNT;
            m_slot_wait.wait_until([this] { return m_free_mask.load() != 0; });
            continue;
        }
        usize slot = static_cast<usize>(__builtin_ctz(mask));
        if (m_free_mask.compare_exchange(mask, mask & ~(1u << slot)))
            return slot;
    }
}

void BlockDevice::release_slot(usize slot)
{
    m_slots[slot].state.store(static_cast<u8>(SlotState::Free));
    m_free_mask.fetch_or(1u << slot);
    m_slot_wait.wake_all();
}

void BlockDevice::submit(usize slot, Operation operation, u64 sector, usize bytes)
{
    auto* header = reinterpret_cast<RequestHeader*>(m_headers + slot * HEADER_STRIDE);
    header->type = static_cast<u32>(operation);
    header->reserved = 0;
    header->sector = sector;
    m_headers[slot * HEADER_STRIDE + STATUS_OFFSET] = STATUS_PENDING;
    m_slots[slot].bytes = bytes;
    m_slots[slot].state.store(static_cast<u8>(SlotState::InFlight));

    SpinlockGuard guard(m_queue_lock);
    Descriptor& head = m_queue.descriptor(static_cast<u16>(3 * slot));
    Descriptor& data = m_queue.descriptor(static_cast<u16>(3 * slot + 1));
    head.flags = descriptor_flag::NEXT;
    if (operation == Operation::Flush) {
        head.next = static_cast<u16>(3 * slot + 2); // no data
    } else {
        head.next = static_cast<u16>(3 * slot + 1);
        data.length = static_cast<u32>(bytes);
        data.flags
            = static_cast<u16>(descriptor_flag::NEXT | (operation == Operation::Read ? descriptor_flag::WRITE : 0));
        data.next = static_cast<u16>(3 * slot + 2);
    }
    m_queue.make_available(static_cast<u16>(3 * slot));
}

ErrorOr<void> BlockDevice::wait_for(usize slot)
{
    u64 deadline = ktime::monotonic_ns() + REQUEST_TIMEOUT_NS;
    auto done = [this, slot] {
        return m_slots[slot].state.load() == static_cast<u8>(SlotState::Done);
    };
    for (;;) {
        auto waited = m_completion_wait.wait_until(done, min(deadline, ktime::monotonic_ns() + POLL_INTERVAL_NS));
        if (!waited.is_error())
            break;
        // No interrupt for a while: look at the ring ourselves, then give up at the deadline.
        reap_completions();
        if (done())
            break;
        if (ktime::monotonic_ns() >= deadline) {
            m_slots[slot].state.store(static_cast<u8>(SlotState::Lost));
            klog::error("virtio-blk: {}: request timed out; slot {} abandoned", name(), slot);
            return Error::from_errno(EIO);
        }
    }
    u8 status_byte = m_headers[slot * HEADER_STRIDE + STATUS_OFFSET];
    if (status_byte != STATUS_OK)
        return Error::from_errno(EIO);
    return {};
}

ErrorOr<void> BlockDevice::transfer(Operation operation, u64 first_sector, u8* buffer, usize bytes)
{
    TRY(block::check_transfer(*this, first_sector, bytes));
    if (operation == Operation::Write && m_read_only)
        return Error::from_errno(EROFS);

    struct Pending {
        usize slot;
        usize offset;
        usize bytes;
    };
    Pending pending[MAX_OUTSTANDING];
    usize first_pending = 0, pending_count = 0;
    usize submitted = 0;
    ErrorOr<void> result;

    while ((submitted < bytes && !result.is_error()) || pending_count > 0) {
        if (submitted < bytes && !result.is_error() && pending_count < MAX_OUTSTANDING) {
            // Wait for a free slot only with nothing of our own out, so two
            // callers can never wait on each other's slots.
            usize slot = acquire_slot(pending_count == 0);
            if (slot < SLOT_COUNT) {
                usize chunk = min(bytes - submitted, CHUNK_BYTES);
                if (operation == Operation::Write)
                    __builtin_memcpy(m_slots[slot].data, buffer + submitted, chunk);
                submit(slot, operation, first_sector + submitted / 512, chunk);
                pending[(first_pending + pending_count) % MAX_OUTSTANDING] = { slot, submitted, chunk };
                ++pending_count;
                submitted += chunk;
                continue;
            }
        }
        Pending& oldest = pending[first_pending];
        first_pending = (first_pending + 1) % MAX_OUTSTANDING;
        --pending_count;
        auto completed = wait_for(oldest.slot);
        if (completed.is_error()) {
            if (!result.is_error())
                result = completed.release_error();
            if (m_slots[oldest.slot].state.load() == static_cast<u8>(SlotState::Lost))
                continue; // never released
        } else if (operation == Operation::Read) {
            __builtin_memcpy(buffer + oldest.offset, m_slots[oldest.slot].data, oldest.bytes);
        }
        release_slot(oldest.slot);
    }
    return result;
}

ErrorOr<void> BlockDevice::read_sectors(u64 first_sector, Bytes buffer)
{
    return transfer(Operation::Read, first_sector, buffer.data(), buffer.size());
}

ErrorOr<void> BlockDevice::write_sectors(u64 first_sector, ReadonlyBytes data)
{
    return transfer(Operation::Write, first_sector, const_cast<u8*>(data.data()), data.size());
}

ErrorOr<void> BlockDevice::flush()
{
    // Without VIRTIO_BLK_F_FLUSH the device writes through (5.2.6.2).
    if (!m_has_flush)
        return {};
    usize slot = acquire_slot(true);
    submit(slot, Operation::Flush, 0, 0);
    auto result = wait_for(slot);
    if (m_slots[slot].state.load() != static_cast<u8>(SlotState::Lost))
        release_slot(slot);
    return result;
}

namespace {

ErrorOr<void> probe(pci::Device& device)
{
    auto disk = TRY(BlockDevice::try_create(device));
    TRY(block::register_device(disk));
    auto partitions = block::register_partitions(disk);
    if (partitions.is_error())
        klog::warn("virtio-blk: {}: partition table refused: {}", disk->name(), partitions.error());
    else if (partitions.value() > 0)
        klog::info("virtio-blk: {}: {} partition(s)", disk->name(), partitions.value());
    return {};
}

// Transitional (0x1001) and modern (0x1042) virtio-blk (4.1.2.1).
constexpr pci::Match MATCHES[] = { pci::Match::id(0x1af4, 0x1001), pci::Match::id(0x1af4, 0x1042) };

} // namespace

PCI_DRIVER(virtio_blk, "virtio-blk", MATCHES, probe);

} // namespace virtio
