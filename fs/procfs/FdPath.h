#pragma once

// The path of a Location, for /proc/<pid>/fd links. The VFS keeps no names
// for vnodes, so this searches the location's filesystem from its mount's
// root, depth first, at most MAX_SEARCH_DEPTH directories deep, for a vnode
// with the same inode number, and prefixes the mount's path. Cost: a walk of
// (part of) the tree per readlink; a file with no reachable name (unlinked,
// or deeper than the limit) is not found.
#include <fs/vfs/Mount.h>
#include <kernel/lib/Format.h>

namespace fs::procfs {

inline constexpr usize MAX_SEARCH_DEPTH = 8;

// Writes the absolute path of `location` into `sink`; false if not found.
bool write_path(FormatSink& sink, const Location& location);

} // namespace fs::procfs
