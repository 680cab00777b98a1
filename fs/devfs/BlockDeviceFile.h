#pragma once

// Block device files: /dev/vda, /dev/sda1... Each node opens onto the
// block::BlockDevice of the same name, found in the registry at open time.
//
// Byte-granular access over a sector device, as Linux's block device files
// give: read, write, pread, pwrite and lseek at any offset and length.
// Sector-aligned transfers go straight to the device; the unaligned head
// and tail sectors of a transfer go through a bounce buffer (read, patch,
// write back). Nothing is cached here: a write has reached the device (its
// volatile cache, at least) when write() returns; sync() (fsync, and
// ioctl BLKFLSBUF) flushes that cache.
//
// End of the device: reads there return 0 (EOF), writes ENOSPC, a write
// that crosses it is cut short; lseek beyond the size is EINVAL. A device
// error is EIO.
#include <fs/block/BlockDevice.h>
#include <fs/devfs/DevFileSystem.h>
#include <fs/devfs/DeviceFile.h>

namespace fs::devfs {

class BlockDeviceFile final : public DeviceFile {
public:
    static constexpr u32 BLKFLSBUF = 0x1261; // linux/fs.h: flush the device

    static ErrorOr<NonnullRefPtr<OpenFile>> open(Location location, u32 flags);
    ~BlockDeviceFile() override;

    ErrorOr<usize> read(Bytes buffer) override;
    ErrorOr<usize> write(ReadonlyBytes data) override;
    ErrorOr<usize> pread(u64 offset, Bytes buffer) override;
    ErrorOr<usize> pwrite(u64 offset, ReadonlyBytes data) override;
    ErrorOr<u64> seek(i64 offset, SeekFrom whence) override;
    ErrorOr<uptr> ioctl(u32 request, uptr argument) override;
    StringView kind_name() const override { return "block"; }

    // fsync: flushes the device's write cache.
    ErrorOr<void> sync();

    BlockDeviceFile(Location location, u32 flags, NonnullRefPtr<block::BlockDevice> device);

private:
    NonnullRefPtr<block::BlockDevice> m_device;
    Spinlock m_offset_lock;
    u64 m_offset { 0 }; // guarded by m_offset_lock
};

// Adds a node for every registered block device not yet in `devfs`, with
// the numbers of block/DeviceNumbers.h and mode 0660 (root's, as on Linux
// where the disk group holds them). Returns how many were added.
ErrorOr<usize> add_block_device_nodes(DevFileSystem& devfs);

} // namespace fs::devfs
