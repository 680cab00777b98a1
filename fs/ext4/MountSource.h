#pragma once

// mount(2)'s view of ext4: a source path naming a registered block device
// ("/dev/vda1", or the bare name "vda1"). One driver serves the types ext2,
// ext3 and ext4, as Linux's ext4 driver does for all three.
#include <fs/ext4/Ext4FileSystem.h>

namespace ext4 {

// ENOENT if no device has that name, ENOTBLK for a source outside /dev,
// else the mount's error (EINVAL: not ext2/3/4; EUCLEAN: corrupt).
ErrorOr<NonnullRefPtr<fs::FileSystem>> mount_source(StringView source, bool read_only);

} // namespace ext4
