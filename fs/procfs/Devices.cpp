// /proc/partitions and /proc/pci; see Devices.h.
#include <fs/block/BlockDevice.h>
#include <fs/block/DeviceNumbers.h>
#include <fs/procfs/Devices.h>

namespace fs::procfs {

namespace {

PciListing s_pci_listing = nullptr; // read and written atomically

} // namespace

void generate_partitions(FormatSink& sink)
{
    format(sink, "major minor  #blocks  name\n\n");
    block::for_each_device(
        [](block::BlockDevice& device, void* context) {
            block::DeviceNumber number { 0, 0 };
            (void)block::device_number_for(device.name(), number);
            format(*static_cast<FormatSink*>(context), "{:>4} {:>7} {:>10} {}\n", number.major, number.minor,
                device.size_in_bytes() / 1024, device.name());
        },
        &sink);
}

void set_pci_listing(PciListing listing)
{
    __atomic_store_n(&s_pci_listing, listing, __ATOMIC_RELEASE);
}

void write_pci_listing(FormatSink& sink)
{
    if (PciListing listing = __atomic_load_n(&s_pci_listing, __ATOMIC_ACQUIRE))
        listing(sink);
}

} // namespace fs::procfs
