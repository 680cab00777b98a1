#pragma once

// Device numbers for block devices, from their names, as Linux gives them
// (Documentation/admin-guide/devices.txt): SCSI/SATA disks "sda".."sdp" on
// major 8 with 16 minors each (the disk, then partitions 1..15); virtio
// disks "vda".. on major 254 (Linux assigns virtblk a dynamic major; 254 is
// what it gets on a typical system), 16 minors each. /dev and
// /proc/partitions both use these.
#include <kernel/lib/StringView.h>

namespace block {

struct DeviceNumber {
    u32 major;
    u32 minor;
};

inline constexpr u32 SCSI_DISK_MAJOR = 8;
inline constexpr u32 VIRTIO_BLOCK_MAJOR = 254;

// False for a name outside those schemes ("sd" or "vd", one letter, an
// optional partition number 1..15).
bool device_number_for(StringView name, DeviceNumber& out);

} // namespace block
