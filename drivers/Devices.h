#pragma once

// Bus devices at boot: the PCI scan with its drivers (virtio-blk, AHCI),
// then the disks and partitions they registered appear in /dev, and /proc/pci
// is connected. Called once from kernel_main, from a thread (probes block on
// their devices), after devfs is mounted and before init starts.
namespace drivers {

void init_devices();

} // namespace drivers
