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
// error) or is not done within the command timeout is followed by a port
// recovery (engine stop, error clear, COMRESET after a timeout or when the
// device stays busy, engine start: AHCI 6.2.2.2 and 10.4) and retried, up to
// MAX_RETRIES times; after that, or when the port does not recover, the
// caller gets EIO.
//
// The timeout is a per-disk knob (like Linux's /sys/block/sdX/device/
// timeout), and a test fault injection can drop the doorbell of the next
// commands, so the timeout and recovery path runs against a real port; both
// are set with kshell's `ahci` command (AhciCommand.cpp, docs/devices.md).
//
// Locking: m_command_lock serializes commands and recovery. m_issue_lock (a
// spinlock) orders the doorbell against the interrupt handler: the handler
// only completes a command the driver armed (m_outstanding), so a late
// interrupt of an abandoned command, or the D2H FIS a port reset sends, is
// never taken for the completion of the retry. Counters are atomics, read
// without the lock.
#include <fs/block/BlockDevice.h>
#include <kernel/lib/Atomic.h>
#include <kernel/lib/Spinlock.h>
#include <kernel/sched/Mutex.h>
#include <kernel/sched/WaitQueue.h>

namespace ahci {

class SataDisk final : public block::BlockDevice {
public:
    static constexpr usize CHUNK_BYTES = usize(128) * 1024;
    static constexpr u32 MAX_RETRIES = 3;
    static constexpr u64 DEFAULT_TIMEOUT_MS = 10'000; // generous for TCG
    static constexpr u64 MIN_TIMEOUT_MS = 1;
    static constexpr u64 MAX_TIMEOUT_MS = 3'600'000;
    static constexpr u32 MAX_DROPPED_DOORBELLS = 1000;

    // What the recovery path did, since boot.
    struct Statistics {
        u64 timeouts;          // commands not done within the timeout
        u64 errors;            // commands that completed with an error
        u64 retries;           // attempts after the first
        u64 port_resets;       // COMRESETs
        u64 failures;          // commands given up with EIO
        u64 dropped_doorbells; // fault injection: commands never issued
    };

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
    Statistics statistics() const;

    u64 timeout_ms() const { return m_timeout_ms.load(); }
    // EINVAL outside MIN_TIMEOUT_MS..MAX_TIMEOUT_MS.
    ErrorOr<void> set_timeout_ms(u64 milliseconds);
    // Test fault injection: the next `count` commands are prepared but their
    // doorbell (PxCI) is not written, so they time out. EINVAL above
    // MAX_DROPPED_DOORBELLS.
    ErrorOr<void> drop_doorbells(u64 count);
    u32 doorbells_to_drop() const { return m_doorbells_to_drop.load(); }

private:
    enum class Direction : u8 {
        None,
        FromDevice,
        ToDevice,
    };

    ErrorOr<void> start_engine();
    [[nodiscard]] bool stop_engine();
    ErrorOr<void> reset_link();
    ErrorOr<void> recover(bool timed_out);
    void disarm();
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

    PhysAddr m_memory_physical { 0 }; // command list, received FIS, command table
    u8* m_memory { nullptr };
    PhysAddr m_buffer_physical { 0 }; // the DMA bounce buffer
    u8* m_buffer { nullptr };
    usize m_buffer_frames { 0 };

    sched::Mutex m_command_lock;
    sched::WaitQueue m_completion_wait;
    Spinlock m_issue_lock;
    bool m_outstanding { false }; // guarded by m_issue_lock
    lib::Atomic<u32> m_done { 0 };
    lib::Atomic<u32> m_interrupt_status { 0 }; // accumulated while a command runs

    lib::Atomic<u64> m_timeout_ms { DEFAULT_TIMEOUT_MS };
    lib::Atomic<u32> m_doorbells_to_drop { 0 };
    lib::Atomic<u64> m_timeouts { 0 };
    lib::Atomic<u64> m_errors { 0 };
    lib::Atomic<u64> m_retries { 0 };
    lib::Atomic<u64> m_port_resets { 0 };
    lib::Atomic<u64> m_failures { 0 };
    lib::Atomic<u64> m_dropped_doorbells { 0 };
};

// The AHCI disks that came up, by name (sda...); nullptr when there is none.
// Disks are never removed.
SataDisk* find_disk(StringView name);
void for_each_disk(void (*visit)(SataDisk& disk, void* context), void* context);
void publish_disk(SataDisk& disk);

// Names the next AHCI disk: sda, sdb... ENOSPC past sdz.
ErrorOr<char> next_disk_letter();

} // namespace ahci
