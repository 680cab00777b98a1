#pragma once

// virtio-blk (virtio 1.2, 5.2) as a block::BlockDevice named vda, vdb...
//
// Requests: a header (type, sector), the data, a status byte, as a chain of
// three descriptors. Each of SLOT_COUNT request slots owns a fixed chain
// (descriptors 3i..3i+2), a DMA bounce buffer of CHUNK_BYTES and its header
// and status bytes, so submitting allocates nothing. A transfer is cut into
// chunks that go out on several slots at once (up to MAX_OUTSTANDING per
// caller), so one large read keeps the device busy and several callers
// share the slots.
//
// Completion is interrupt driven: the handler moves used entries to their
// slots and wakes the waiters (sched::WaitQueue). A request the device has
// not finished after REQUEST_TIMEOUT is abandoned: its slot is never reused
// (the device may still write its buffer) and the caller gets EIO.
//
// Locking: m_queue_lock (a spinlock, taken by the interrupt handler too)
// guards the virtqueue; slot states and the free mask are atomics, so wait
// conditions can read them under the scheduler lock.
#include <drivers/virtio/Virtqueue.h>
#include <fs/block/BlockDevice.h>
#include <kernel/lib/Atomic.h>
#include <kernel/lib/Spinlock.h>
#include <kernel/sched/WaitQueue.h>

namespace virtio {

class BlockDevice final : public block::BlockDevice {
public:
    static constexpr usize SLOT_COUNT = 8;
    static constexpr usize MAX_OUTSTANDING = 4;
    static constexpr usize CHUNK_BYTES = usize(64) * 1024;

    static ErrorOr<NonnullRefPtr<BlockDevice>> try_create(pci::Device& device);
    ~BlockDevice() override;

    StringView name() const override { return { m_name, 3 }; }
    u32 sector_size() const override { return 512; }
    u64 sector_count() const override { return m_sector_count; }
    bool is_read_only() const override { return m_read_only; }
    ErrorOr<void> read_sectors(u64 first_sector, Bytes buffer) override;
    ErrorOr<void> write_sectors(u64 first_sector, ReadonlyBytes data) override;
    ErrorOr<void> flush() override;

    BlockDevice() = default;

private:
    enum class SlotState : u8 {
        Free,
        InFlight,
        Done,
        Lost, // timed out: owned by the device for good
    };
    enum class Operation : u32 {
        Read = 0,  // VIRTIO_BLK_T_IN
        Write = 1, // VIRTIO_BLK_T_OUT
        Flush = 4, // VIRTIO_BLK_T_FLUSH
    };
    struct Slot {
        lib::Atomic<u8> state; // SlotState
        PhysAddr data_physical;
        u8* data;
        usize bytes; // of the request in flight
    };

    ErrorOr<void> init(pci::Device& device);
    ErrorOr<void> transfer(Operation operation, u64 first_sector, u8* buffer, usize bytes);
    usize acquire_slot(bool wait);
    void release_slot(usize slot);
    void submit(usize slot, Operation operation, u64 sector, usize bytes);
    ErrorOr<void> wait_for(usize slot);
    void reap_completions();
    static void handle_interrupt(void* context);

    char m_name[4] { 'v', 'd', 'a', '\0' };
    OwnPtr<Transport> m_transport;
    Virtqueue m_queue;
    pci::Device* m_pci { nullptr };
    u64 m_sector_count { 0 };
    bool m_read_only { false };
    bool m_has_flush { false };
    bool m_interrupt_enabled { false };

    PhysAddr m_headers_physical { 0 }; // one frame: per slot a 16-byte header and a status byte
    u8* m_headers { nullptr };
    Slot m_slots[SLOT_COUNT] {};
    lib::Atomic<u32> m_free_mask { 0 };
    Spinlock m_queue_lock;
    sched::WaitQueue m_slot_wait;       // a slot was freed
    sched::WaitQueue m_completion_wait; // a request finished
};

} // namespace virtio
