#pragma once

// The jbd2 journal: replaying a journal that needs recovery at mount.
//
// Osprey itself writes in place and leaves the journal empty, so recovery
// only matters for filesystems last used by a system that stopped before
// checkpointing (Linux after a crash, or an image in e2fsprogs' tests).
#include <fs/ext4/Ext4FileSystem.h>

namespace ext4 {

// Replays every complete transaction (revoke records honoured, checksums
// checked with the v2/v3 checksum features), then marks the journal empty
// and clears the superblock's needs-recovery flag. Lock held.
ErrorOr<void> replay_journal(Ext4FileSystem& fs);

} // namespace ext4
