#pragma once

// A block device: a disk (/dev/vda, /dev/sda), a partition of one
// (/dev/vda1), or in host tests an image file. Filesystems and the block
// cache see only this interface; drivers (virtio-blk, AHCI) implement it.
//
// Transfers are in whole sectors and block the caller until the device has
// finished (the driver may keep several requests in flight for several
// callers). A device error is EIO; a range past the end is EINVAL.
#include <kernel/lib/Error.h>
#include <kernel/lib/RefPtr.h>
#include <kernel/lib/Span.h>
#include <kernel/lib/StringView.h>

namespace block {

class BlockDevice : public RefCounted<BlockDevice> {
public:
    virtual ~BlockDevice() = default;

    // The name under /dev: "vda", "sda", "vda1".
    virtual StringView name() const = 0;
    // Bytes per sector: 512 for every disk Osprey drives today.
    virtual u32 sector_size() const = 0;
    virtual u64 sector_count() const = 0;
    u64 size_in_bytes() const { return sector_count() * sector_size(); }
    virtual bool is_read_only() const { return false; }

    // buffer.size() / data.size() must be a multiple of sector_size().
    virtual ErrorOr<void> read_sectors(u64 first_sector, Bytes buffer) = 0;
    virtual ErrorOr<void> write_sectors(u64 first_sector, ReadonlyBytes data) = 0;
    // Returns once every completed write is on stable storage.
    virtual ErrorOr<void> flush() = 0;
};

// The devices the kernel knows, by name. Drivers register disks as they find
// them and the partition scanner registers partitions; mount(2) and /dev
// look them up. ENOSPC when the table is full, EEXIST for a taken name.
ErrorOr<void> register_device(NonnullRefPtr<BlockDevice> device);
void unregister_device(StringView name);
RefPtr<BlockDevice> find_device(StringView name);
// Calls visit(device) for each registered device, in registration order.
void for_each_device(void (*visit)(BlockDevice& device, void* context), void* context);

} // namespace block
