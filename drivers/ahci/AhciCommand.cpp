// kshell's `ahci`: the AHCI disks' command timeout, what their recovery
// path did, and a test fault injection (docs/devices.md):
//   ahci                            one line per disk:
//       sda port 0 timeout_ms 10000 timeouts 0 errors 0 retries 0 port_resets 0 failures 0 dropped_doorbells 0
//       drop_pending 0
//   ahci timeout <disk> <ms>        sets the disk's command timeout (1..3600000 ms),
//                                   as Linux's /sys/block/sdX/device/timeout does
//   ahci drop-doorbell <disk> <n>   the next n commands (0..1000) are prepared but
//                                   not issued, so they time out and are recovered
// Bad input prints "ahci: ...: EINVAL" (ENODEV for an unknown disk) and
// changes nothing.
#include <drivers/ahci/SataDisk.h>
#include <kernel/console/Console.h>
#include <kernel/kshell/Command.h>

namespace {

void show(ahci::SataDisk& disk, void*)
{
    auto figures = disk.statistics();
    console::print("{} port {} timeout_ms {} timeouts {} errors {} retries {} port_resets {} failures {} "
                   "dropped_doorbells {} drop_pending {}\n",
        disk.name(), disk.port_number(), disk.timeout_ms(), figures.timeouts, figures.errors, figures.retries,
        figures.port_resets, figures.failures, figures.dropped_doorbells, disk.doorbells_to_drop());
}

void usage()
{
    console::print("usage: ahci [timeout <disk> <milliseconds> | drop-doorbell <disk> <count>]\n");
}

void ahci_command(kshell::Arguments args)
{
    if (args.size() == 1) {
        ahci::for_each_disk(show, nullptr);
        return;
    }
    bool set_timeout = args[1] == "timeout";
    if (args.size() != 4 || (!set_timeout && args[1] != "drop-doorbell")) {
        usage();
        return;
    }
    ahci::SataDisk* disk = ahci::find_disk(args[2]);
    if (!disk) {
        console::print("ahci: {}: {}\n", args[2], Error::from_errno(ENODEV));
        return;
    }
    u64 value = 0;
    ErrorOr<void> result = Error::from_errno(EINVAL);
    if (args[3].to_u64(value))
        result = set_timeout ? disk->set_timeout_ms(value) : disk->drop_doorbells(value);
    if (result.is_error()) {
        console::print("ahci: {} {}: {}: {}\n", args[1], args[2], args[3], result.error());
        return;
    }
    show(*disk, nullptr);
}

} // namespace

KSHELL_COMMAND("ahci", "AHCI disks: timeouts, recovery counters, fault injection", ahci_command);
