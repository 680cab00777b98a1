#pragma once

// One AHCI port with an ATA disk on it, as a block::BlockDevice named sda,
// sdb... (Serial ATA AHCI 1.3.1).
//
// The port uses command slot 0 only: one command at a time, serialized by
// m_command_lock (a sleeping mutex), with the data through a DMA bounce
// buffer of CHUNK_BYTES. Commands are READ/WRITE DMA EXT and FLUSH CACHE EXT
// (48-bit LBAs), after an IDENTIFY DEVICE at start-up.
//
// Completion is interrupt driven: the controller's handler calls
// handle_interrupt(), which records the port's interrupt status and wakes
// the waiter. A command that fails (task file error, host bus or interface
// error) or is not done within COMMAND_TIMEOUT is followed by a port
// recovery (engine stop, error clear, COMRESET when the device stays busy,
// engine start: AHCI 6.2.2) and retried, up to MAX_RETRIES times; after
// that the caller gets EIO.
//
// Locking: m_command_lock serializes commands and recovery; m_done and
// m_interrupt_status are atomics shared with the interrupt handler.
#include <fs/block/BlockDevice.h>
#include <kernel/lib/Atomic.h>
#include <kernel/sched/Mutex.h>
#include <kernel/sched/WaitQueue.h>

namespace ahci {

class SataDisk final : public block::BlockDevice {
public:
    static constexpr usize CHUNK_BYTES = usize(128) * 1024;
    static constexpr u32 MAX_RETRIES = 3;

    SataDisk(volatile u8* port_registers, u32 port);
    ~SataDisk() override;

    // Brings the port up and identifies the disk (which takes an
    // interrupt, so the controller must route this port's to
    // handle_interrupt() first). ENODEV when the port has no ATA disk
    // (nothing attached, or an ATAPI device).
    ErrorOr<void> initialize(bool dma_64bit);

    StringView name() const override { return { m_name, 3 }; }
    u32 sector_size() const override { return 512; }
    u64 sector_count() const override { return m_sector_count; }
    ErrorOr<void> read_sectors(u64 first_sector, Bytes buffer) override;
    ErrorOr<void> write_sectors(u64 first_sector, ReadonlyBytes data) override;
    ErrorOr<void> flush() override;

    // From the controller's interrupt handler, for this port's bit.
    void handle_interrupt();
    u32 port_number() const { return m_port; }
    StringView model() const { return { m_model, m_model_length }; }
    u64 recoveries() const { return m_recoveries; }

private:
    enum class Direction : u8 {
        None,
        FromDevice,
        ToDevice,
    };

    ErrorOr<void> start_engine();
    void stop_engine();
    ErrorOr<void> reset_link();
    void recover();
    ErrorOr<void> issue(u8 command, u64 lba, u16 sectors, Direction direction, usize bytes);
    ErrorOr<void> run_once(u8 command, u64 lba, u16 sectors, Direction direction, usize bytes);
    ErrorOr<void> identify();
    ErrorOr<void> transfer(bool write, u64 first_sector, u8* buffer, usize bytes);

    u32 read(u32 reg) const;
    void write(u32 reg, u32 value);

    volatile u8* m_registers;
    u32 m_port;
    char m_name[4] { 's', 'd', 'a', '\0' };
    char m_model[41] {};
    usize m_model_length { 0 };
    u64 m_sector_count { 0 };
    u64 m_recoveries { 0 }; // guarded by m_command_lock

    PhysAddr m_memory_physical { 0 }; // command list, received FIS, command table
    u8* m_memory { nullptr };
    PhysAddr m_buffer_physical { 0 }; // the DMA bounce buffer
    u8* m_buffer { nullptr };
    usize m_buffer_frames { 0 };

    sched::Mutex m_command_lock;
    sched::WaitQueue m_completion_wait;
    lib::Atomic<u32> m_done { 0 };
    lib::Atomic<u32> m_interrupt_status { 0 }; // accumulated while a command runs
};

// Names the next AHCI disk: sda, sdb... ENOSPC past sdz.
ErrorOr<char> next_disk_letter();

} // namespace ahci
