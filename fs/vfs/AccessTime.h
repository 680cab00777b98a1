#pragma once

// Access times, as Linux keeps them: read(2) (even at end of file), readdir,
// exec and mmap of a file count as an access, unless the description was
// opened with O_NOATIME. The default, relatime, writes
// the new atime only when the old one is not after the mtime or the ctime,
// or is at least a day old; a mount may say noatime (never), nodiratime
// (never for directories) or strictatime (every access). The update leaves
// the ctime alone (AttributeChange::keep_change_time); filesystems that
// cannot write (a read-only ext4) refuse it, which is ignored.
#include <fs/vfs/Mount.h>

namespace fs {

// The relatime rule: true if an access at `now` should update the atime.
bool relatime_wants_update(const Attributes& attributes, Timespec now);

// Records an access to `location`'s vnode under its mount's rules.
void note_access(const Location& location);

// The atime words /proc/mounts shows after "rw" for `flags` (",noatime",
// ",nodiratime,relatime", "" for strictatime...).
StringView access_time_options(u32 flags);

} // namespace fs
