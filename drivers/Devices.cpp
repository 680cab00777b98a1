// Bus devices at boot; see Devices.h.
#include <drivers/Devices.h>
#include <drivers/pci/Device.h>
#include <drivers/pci/Listing.h>
#include <fs/devfs/BlockDeviceFile.h>
#include <fs/procfs/Devices.h>
#include <fs/vfs/Vfs.h>
#include <kernel/acpi/Acpi.h>
#include <kernel/log/Log.h>

namespace drivers {

namespace {

// The devfs mounted at boot (kernel/tty/Devices.cpp), from the mount table.
RefPtr<fs::FileSystem> find_devfs()
{
    RefPtr<fs::Mount> mounts[fs::MountTable::MAX_MOUNTS];
    usize count = fs::vfs().mounts().snapshot({ mounts, fs::MountTable::MAX_MOUNTS });
    for (usize i = 0; i < count; ++i) {
        if (mounts[i]->file_system().name() == "devfs")
            return &mounts[i]->file_system();
    }
    return nullptr;
}

} // namespace

void init_devices()
{
    pci::enumerate_and_probe(acpi::info());
    fs::procfs::set_pci_listing(pci::write_proc_listing);

    RefPtr<fs::FileSystem> devfs = find_devfs();
    if (!devfs) {
        klog::warn("devices: no devfs mounted; disks get no /dev nodes");
        return;
    }
    auto added = fs::devfs::add_block_device_nodes(static_cast<fs::devfs::DevFileSystem&>(*devfs));
    if (added.is_error())
        klog::warn("devices: cannot add block device nodes: {}", added.error());
    else if (added.value() > 0)
        klog::info("devices: {} block device node(s) in /dev", added.value());
}

} // namespace drivers
