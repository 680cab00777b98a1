#pragma once

// Boot-time set-up of the device files: the fs wait hooks that let pipes
// block (hashed sched::WaitQueues), the random generator's seed, the
// console terminal, and devfs mounted at /dev (made in the root if
// missing) with console (5:1) and tty (5:0) beside the memory devices.
#include <kernel/lib/Error.h>

namespace tty {

// Called once, after the root filesystem is mounted.
ErrorOr<void> init_devices();

} // namespace tty
