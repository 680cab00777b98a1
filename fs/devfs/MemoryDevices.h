#pragma once

// The memory character devices (Linux drivers/char/mem.c, major 1):
//   null    1:3  reads give EOF, writes are swallowed whole
//   zero    1:5  reads fill with zeros, writes are swallowed
//   full    1:7  reads fill with zeros, writes fail with ENOSPC
//   random  1:8  reads give generator output (Random.h), writes are
//   urandom 1:9  accepted and mixed into the generator as Linux does
// All are mode 0666 and always ready for poll.
#include <fs/devfs/DevFileSystem.h>

namespace fs::devfs {

Span<const DeviceSpec> memory_devices();

} // namespace fs::devfs
