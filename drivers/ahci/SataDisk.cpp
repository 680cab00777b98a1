// An ATA disk on an AHCI port; see SataDisk.h.
#include <drivers/ahci/Registers.h>
#include <drivers/ahci/SataDisk.h>
#include <fs/block/Partitions.h>
#include <kernel/log/Log.h>
#include <kernel/mm/Layout.h>
#include <kernel/mm/PhysicalMemory.h>
#include <kernel/sched/Scheduler.h>
#include <kernel/time/Clock.h>

namespace ahci {

namespace {

constexpr u64 MILLISECOND = 1'000'000;
constexpr u64 ENGINE_TIMEOUT_NS = 500 * MILLISECOND; // AHCI 10.1.2: CR clears within 500 ms
constexpr u64 LINK_TIMEOUT_NS = 1'000 * MILLISECOND;

// The port's page: command list (1 KiB aligned), received FIS (256 bytes
// aligned), then slot 0's command table (128 bytes aligned).
constexpr usize COMMAND_LIST_OFFSET = 0;
constexpr usize RECEIVED_FIS_OFFSET = 0x400;
constexpr usize COMMAND_TABLE_OFFSET = 0x800;
constexpr PhysAddr FOUR_GIB = PhysAddr(1) << 32;

constexpr u64 CHUNK_FRAMES = SataDisk::CHUNK_BYTES / PAGE_SIZE;
constexpr u16 CHUNK_SECTORS = SataDisk::CHUNK_BYTES / 512;

// IDENTIFY DEVICE words (ACS-3, 7.12.7).
constexpr usize IDENTIFY_MODEL_WORD = 27;
constexpr usize IDENTIFY_MODEL_WORDS = 20;
constexpr usize IDENTIFY_COMMAND_SETS_WORD = 83;
constexpr u16 IDENTIFY_LBA48 = 1u << 10;
constexpr usize IDENTIFY_LBA48_SECTORS_WORD = 100;

constinit lib::Atomic<u32> s_next_disk { 0 };
constinit SataDisk* s_disks[26] {}; // by letter; written once, at probe

// Waits for `done()` or the deadline, sleeping a millisecond between looks.
template<typename Condition>
bool wait_for_condition(Condition done, u64 timeout_ns)
{
    u64 deadline = ktime::monotonic_ns() + timeout_ns;
    while (!done()) {
        if (ktime::monotonic_ns() >= deadline)
            return done();
        sched::sleep_ns(MILLISECOND);
    }
    return true;
}

} // namespace

void publish_disk(SataDisk& disk)
{
    __atomic_store_n(&s_disks[disk.name()[2] - 'a'], &disk, __ATOMIC_RELEASE);
}

SataDisk* find_disk(StringView name)
{
    if (name.length() != 3 || name[0] != 's' || name[1] != 'd' || name[2] < 'a' || name[2] > 'z')
        return nullptr;
    return __atomic_load_n(&s_disks[name[2] - 'a'], __ATOMIC_ACQUIRE);
}

void for_each_disk(void (*visit)(SataDisk& disk, void* context), void* context)
{
    for (SataDisk*& slot : s_disks) {
        if (SataDisk* disk = __atomic_load_n(&slot, __ATOMIC_ACQUIRE))
            visit(*disk, context);
    }
}

ErrorOr<char> next_disk_letter()
{
    u32 number = s_next_disk.fetch_add(1);
    if (number >= 26)
        return Error::from_errno(ENOSPC);
    return static_cast<char>('a' + number);
}

SataDisk::SataDisk(volatile u8* port_registers, u32 port)
    : m_registers(port_registers)
    , m_port(port)
{
}

SataDisk::~SataDisk()
{
    // Only reached when init failed: the engine is stopped by then.
    if (m_memory)
        (void)mm::free_frame(m_memory_physical);
    if (m_buffer)
        (void)mm::free_frames(m_buffer_physical, m_buffer_frames);
}

u32 SataDisk::read(u32 reg) const
{
    return *reinterpret_cast<volatile u32*>(m_registers + reg);
}

void SataDisk::write(u32 reg, u32 value)
{
    *reinterpret_cast<volatile u32*>(m_registers + reg) = value;
}

SataDisk::Statistics SataDisk::statistics() const
{
    return {
        .timeouts = m_timeouts.load(),
        .errors = m_errors.load(),
        .retries = m_retries.load(),
        .port_resets = m_port_resets.load(),
        .failures = m_failures.load(),
        .dropped_doorbells = m_dropped_doorbells.load(),
    };
}

ErrorOr<void> SataDisk::set_timeout_ms(u64 milliseconds)
{
    if (milliseconds < MIN_TIMEOUT_MS || milliseconds > MAX_TIMEOUT_MS)
        return Error::from_errno(EINVAL);
    m_timeout_ms.store(milliseconds);
    klog::info("ahci: {}: command timeout set to {} ms", name(), milliseconds);
    return {};
}

ErrorOr<void> SataDisk::drop_doorbells(u64 count)
{
    if (count > MAX_DROPPED_DOORBELLS)
        return Error::from_errno(EINVAL);
    m_doorbells_to_drop.store(static_cast<u32>(count));
    klog::warn("ahci: {}: fault injection: the doorbell of the next {} command(s) will be dropped", name(), count);
    return {};
}

// Clears ST and FRE and waits for CR and FR to follow (AHCI 10.1.2). False
// when the engine did not stop within 500 ms: only a port reset helps then
// (FRE stays set, as it must while CR is).
bool SataDisk::stop_engine()
{
    write(u32(Port::Command), read(u32(Port::Command)) & ~port_command::START);
    if (!wait_for_condition(
            [this] { return !(read(u32(Port::Command)) & port_command::LIST_RUNNING); }, ENGINE_TIMEOUT_NS))
        return false;
    write(u32(Port::Command), read(u32(Port::Command)) & ~port_command::FIS_RECEIVE_ENABLE);
    return wait_for_condition(
        [this] { return !(read(u32(Port::Command)) & port_command::FIS_RECEIVE_RUNNING); }, ENGINE_TIMEOUT_NS);
}

ErrorOr<void> SataDisk::start_engine()
{
    write(u32(Port::SataError), 0xffffffff);
    write(u32(Port::InterruptStatus), 0xffffffff);
    write(u32(Port::Command), read(u32(Port::Command)) | port_command::FIS_RECEIVE_ENABLE);
    // The device must be idle before the engine starts (AHCI 10.3.1).
    bool idle = wait_for_condition(
        [this] { return !(read(u32(Port::TaskFile)) & (task_file::BUSY | task_file::DATA_REQUEST)); }, LINK_TIMEOUT_NS);
    if (!idle)
        return Error::from_errno(EIO);
    write(u32(Port::InterruptEnable), port_interrupt::ENABLED);
    write(u32(Port::Command), read(u32(Port::Command)) | port_command::START);
    return {};
}

// COMRESET (AHCI 10.4.2): DET=1 for at least 1 ms, then 0, then wait for
// the link to come back.
ErrorOr<void> SataDisk::reset_link()
{
    u32 control = read(u32(Port::SataControl)) & ~SCTL_DETECT_MASK;
    write(u32(Port::SataControl), control | SCTL_DETECT_RESET);
    sched::sleep_ns(2 * MILLISECOND);
    write(u32(Port::SataControl), control);
    bool up = wait_for_condition(
        [this] { return (read(u32(Port::SataStatus)) & SSTS_DETECT_MASK) == SSTS_DEVICE_PRESENT; }, LINK_TIMEOUT_NS);
    write(u32(Port::SataError), 0xffffffff);
    return up ? ErrorOr<void>() : Error::from_errno(EIO);
}

// The handler completes nothing from here on: whatever the port still
// reports belongs to a command the driver has given up.
void SataDisk::disarm()
{
    SpinlockGuard guard(m_issue_lock);
    m_outstanding = false;
}

// Brings the port back to idle after a failed or timed-out command (AHCI
// 6.2.2.2, 10.4): stop the engine, which ends the command (PxCI clears when
// ST does), clear the errors, and reset the link when the command timed out
// (the device's state is unknown), the engine did not stop, or the device
// is still busy or the slot still issued. The slot is reused only once the
// port shows it idle, so no late completion of the old command can be taken
// for the retry's; otherwise EIO, and the command is not retried.
ErrorOr<void> SataDisk::recover(bool timed_out)
{
    disarm();
    bool stopped = stop_engine();
    write(u32(Port::SataError), 0xffffffff);
    write(u32(Port::InterruptStatus), 0xffffffff);
    bool busy = read(u32(Port::TaskFile)) & (task_file::BUSY | task_file::DATA_REQUEST);
    bool issued = read(u32(Port::CommandIssue)) & 1;
    if (timed_out || !stopped || busy || issued) {
        m_port_resets.fetch_add(1);
        klog::warn("ahci: {}: port reset (COMRESET): {}", name(),
            timed_out      ? "command timed out"
                : !stopped ? "engine did not stop"
                : busy     ? "device busy"
                           : "slot still issued");
        if (auto reset = reset_link(); reset.is_error()) {
            klog::error("ahci: {}: COMRESET did not bring the link back", name());
            return reset.release_error();
        }
        write(u32(Port::SataError), 0xffffffff);
        write(u32(Port::InterruptStatus), 0xffffffff);
    }
    if (read(u32(Port::CommandIssue)) & 1) {
        klog::error("ahci: {}: command slot still issued after the port reset", name());
        return Error::from_errno(EIO);
    }
    if (auto started = start_engine(); started.is_error()) {
        klog::error("ahci: {}: port did not restart after recovery", name());
        return started.release_error();
    }
    return {};
}

ErrorOr<void> SataDisk::initialize(bool dma_64bit)
{
    PhysAddr limit = dma_64bit ? mm::PhysicalAllocator::NO_LIMIT : FOUR_GIB;
    m_memory_physical = TRY(mm::allocate_frames_aligned(1, 1, limit));
    m_memory = mm::phys_to_virt<u8>(m_memory_physical);
    __builtin_memset(m_memory, 0, PAGE_SIZE);
    m_buffer_physical = TRY(mm::allocate_frames_aligned(CHUNK_FRAMES, 1, limit));
    m_buffer_frames = CHUNK_FRAMES;
    m_buffer = mm::phys_to_virt<u8>(m_buffer_physical);

    (void)stop_engine();
    PhysAddr list = m_memory_physical + COMMAND_LIST_OFFSET;
    PhysAddr fis = m_memory_physical + RECEIVED_FIS_OFFSET;
    write(u32(Port::CommandListBase), static_cast<u32>(list));
    write(u32(Port::CommandListBaseUpper), static_cast<u32>(list >> 32));
    write(u32(Port::FisBase), static_cast<u32>(fis));
    write(u32(Port::FisBaseUpper), static_cast<u32>(fis >> 32));
    auto* header = reinterpret_cast<CommandHeader*>(m_memory + COMMAND_LIST_OFFSET);
    PhysAddr table = m_memory_physical + COMMAND_TABLE_OFFSET;
    header->table_base = static_cast<u32>(table);
    header->table_base_upper = static_cast<u32>(table >> 32);

    // Spin up and power on for controllers with staggered spin-up.
    write(u32(Port::Command), read(u32(Port::Command)) | port_command::SPIN_UP | port_command::POWER_ON);
    if ((read(u32(Port::SataStatus)) & SSTS_DETECT_MASK) != SSTS_DEVICE_PRESENT)
        return Error::from_errno(ENODEV);
    // The signature is valid once the device sent its first D2H FIS.
    write(u32(Port::Command), read(u32(Port::Command)) | port_command::FIS_RECEIVE_ENABLE);
    (void)wait_for_condition([this] { return !(read(u32(Port::TaskFile)) & task_file::BUSY); }, LINK_TIMEOUT_NS);
    u32 signature = read(u32(Port::Signature));
    if (signature != SIGNATURE_ATA) {
        if (signature == SIGNATURE_ATAPI)
            klog::info("ahci: port {}: ATAPI device, not driven", m_port);
        (void)stop_engine();
        return Error::from_errno(ENODEV);
    }
    if (auto started = start_engine(); started.is_error()) {
        (void)stop_engine();
        return started.release_error();
    }
    if (auto identified = identify(); identified.is_error()) {
        (void)stop_engine();
        return identified.release_error();
    }
    m_name[2] = TRY(next_disk_letter());
    return {};
}

void SataDisk::handle_interrupt()
{
    bool finished = false;
    {
        SpinlockGuard guard(m_issue_lock);
        u32 status = read(u32(Port::InterruptStatus));
        write(u32(Port::InterruptStatus), status);
        if (!m_outstanding)
            return; // nothing armed: a port reset's D2H FIS, or an abandoned command
        m_interrupt_status.fetch_or(status);
        // Slot 0 finished, or the port stopped on an error.
        if (!(read(u32(Port::CommandIssue)) & 1) || (status & port_interrupt::ERRORS)) {
            m_outstanding = false;
            m_done.store(1);
            finished = true;
        }
    }
    if (finished && sched::is_running())
        m_completion_wait.wake_all();
}

ErrorOr<void> SataDisk::run_once(u8 command, u64 lba, u16 sectors, Direction direction, usize bytes)
{
    auto* header = reinterpret_cast<CommandHeader*>(m_memory + COMMAND_LIST_OFFSET);
    auto* table = reinterpret_cast<CommandTable*>(m_memory + COMMAND_TABLE_OFFSET);
    __builtin_memset(table, 0, sizeof(CommandTable));

    u8* fis = table->command_fis;
    fis[0] = FIS_HOST_TO_DEVICE;
    fis[1] = FIS_COMMAND_BIT;
    fis[2] = command;
    fis[4] = static_cast<u8>(lba);
    fis[5] = static_cast<u8>(lba >> 8);
    fis[6] = static_cast<u8>(lba >> 16);
    fis[7] = DEVICE_LBA_MODE;
    fis[8] = static_cast<u8>(lba >> 24);
    fis[9] = static_cast<u8>(lba >> 32);
    fis[10] = static_cast<u8>(lba >> 40);
    fis[12] = static_cast<u8>(sectors);
    fis[13] = static_cast<u8>(sectors >> 8);

    u16 prdt_length = 0;
    if (direction != Direction::None) {
        table->prdt[0].data_base = static_cast<u32>(m_buffer_physical);
        table->prdt[0].data_base_upper = static_cast<u32>(m_buffer_physical >> 32);
        table->prdt[0].byte_count = static_cast<u32>(bytes - 1);
        prdt_length = 1;
    }
    header->flags = static_cast<u16>(5 | (direction == Direction::ToDevice ? HEADER_WRITE : 0)); // 5 dwords of FIS
    header->prdt_length = prdt_length;
    header->bytes_transferred = 0;

    bool rang = true;
    {
        SpinlockGuard guard(m_issue_lock);
        m_interrupt_status.store(0);
        m_done.store(0);
        u32 to_drop = m_doorbells_to_drop.load();
        if (to_drop > 0) {
            // Test fault injection: the command is ready but never issued.
            m_doorbells_to_drop.store(to_drop - 1);
            m_dropped_doorbells.fetch_add(1);
            rang = false;
        } else {
            m_outstanding = true;
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            write(u32(Port::CommandIssue), 1);
        }
    }
    if (!rang)
        klog::warn("ahci: {}: fault injection: doorbell of command {:#x} at LBA {} dropped", name(), command, lba);

    u64 timeout_ms = m_timeout_ms.load();
    u64 deadline = ktime::monotonic_ns() + timeout_ms * MILLISECOND;
    auto waited = m_completion_wait.wait_until([this] { return m_done.load() != 0; }, deadline);
    if (waited.is_error()) {
        disarm();
        // Interrupts may be lost on a broken setup: a slot the driver issued
        // and the port no longer shows did complete.
        if (!rang || (read(u32(Port::CommandIssue)) & 1)) {
            klog::warn("ahci: {}: command {:#x} at LBA {} timed out after {} ms", name(), command, lba, timeout_ms);
            return Error::from_errno(ETIMEDOUT);
        }
        klog::warn("ahci: {}: command {:#x} completed without an interrupt", name(), command);
    }
    u32 status = m_interrupt_status.load() | read(u32(Port::InterruptStatus));
    u32 task = read(u32(Port::TaskFile));
    if ((status & port_interrupt::ERRORS) || (task & task_file::ERROR) || (read(u32(Port::CommandIssue)) & 1)) {
        klog::warn("ahci: {}: command {:#x} at LBA {} failed: interrupt status {:#x}, task file {:#x}", name(), command,
            lba, status, task);
        return Error::from_errno(EIO);
    }
    return {};
}

ErrorOr<void> SataDisk::issue(u8 command, u64 lba, u16 sectors, Direction direction, usize bytes)
{
    for (u32 attempt = 0; attempt <= MAX_RETRIES; ++attempt) {
        if (attempt > 0) {
            m_retries.fetch_add(1);
            klog::info(
                "ahci: {}: retrying command {:#x} at LBA {} ({} of {})", name(), command, lba, attempt, MAX_RETRIES);
        }
        auto result = run_once(command, lba, sectors, direction, bytes);
        if (!result.is_error())
            return {};
        bool timed_out = result.error().code() == ETIMEDOUT;
        (timed_out ? m_timeouts : m_errors).fetch_add(1);
        if (auto recovered = recover(timed_out); recovered.is_error()) {
            m_failures.fetch_add(1);
            klog::error("ahci: {}: command {:#x} at LBA {}: the port did not recover; giving up", name(), command, lba);
            return Error::from_errno(EIO);
        }
    }
    m_failures.fetch_add(1);
    klog::error("ahci: {}: command {:#x} at LBA {} failed {} times; giving up", name(), command, lba, MAX_RETRIES + 1);
    return Error::from_errno(EIO);
}

ErrorOr<void> SataDisk::identify()
{
    sched::MutexLocker locker(m_command_lock);
    TRY(issue(ATA_IDENTIFY_DEVICE, 0, 0, Direction::FromDevice, 512));
    auto* words = reinterpret_cast<const u16*>(m_buffer);
    if (!(words[IDENTIFY_COMMAND_SETS_WORD] & IDENTIFY_LBA48)) {
        klog::warn("ahci: port {}: disk without 48-bit LBA, not driven", m_port);
        return Error::from_errno(ENODEV);
    }
    m_sector_count = 0;
    for (usize i = 0; i < 4; ++i)
        m_sector_count |= u64(words[IDENTIFY_LBA48_SECTORS_WORD + i]) << (16 * i);
    // The model string is byte-swapped in each word; trailing spaces go.
    for (usize i = 0; i < IDENTIFY_MODEL_WORDS; ++i) {
        m_model[2 * i] = static_cast<char>(words[IDENTIFY_MODEL_WORD + i] >> 8);
        m_model[2 * i + 1] = static_cast<char>(words[IDENTIFY_MODEL_WORD + i]);
    }
    m_model_length = 2 * IDENTIFY_MODEL_WORDS;
    while (m_model_length > 0 && (m_model[m_model_length - 1] == ' ' || m_model[m_model_length - 1] == '\0'))
        --m_model_length;
    m_model[m_model_length] = '\0';
    return {};
}

ErrorOr<void> SataDisk::transfer(bool write_to_disk, u64 first_sector, u8* buffer, usize bytes)
{
    TRY(block::check_transfer(*this, first_sector, bytes));
    sched::MutexLocker locker(m_command_lock);
    for (usize done = 0; done < bytes;) {
        usize chunk = min(bytes - done, CHUNK_BYTES);
        u16 sectors = static_cast<u16>(chunk / 512);
        static_assert(CHUNK_SECTORS > 0);
        u64 lba = first_sector + done / 512;
        if (write_to_disk) {
            __builtin_memcpy(m_buffer, buffer + done, chunk);
            TRY(issue(ATA_WRITE_DMA_EXT, lba, sectors, Direction::ToDevice, chunk));
        } else {
            TRY(issue(ATA_READ_DMA_EXT, lba, sectors, Direction::FromDevice, chunk));
            __builtin_memcpy(buffer + done, m_buffer, chunk);
        }
        done += chunk;
    }
    return {};
}

ErrorOr<void> SataDisk::read_sectors(u64 first_sector, Bytes buffer)
{
    return transfer(false, first_sector, buffer.data(), buffer.size());
}

ErrorOr<void> SataDisk::write_sectors(u64 first_sector, ReadonlyBytes data)
{
    return transfer(true, first_sector, const_cast<u8*>(data.data()), data.size());
}

ErrorOr<void> SataDisk::flush()
{
    sched::MutexLocker locker(m_command_lock);
    return issue(ATA_FLUSH_CACHE_EXT, 0, 0, Direction::None, 0);
}

} // namespace ahci
