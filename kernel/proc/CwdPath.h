#pragma once

// The text of a process's cwd, for getcwd: the VFS keeps no names upwards,
// so the process remembers the absolute path it changed to. join_path
// resolves `path` against the absolute `base` textually ("." dropped, ".."
// removes the last component, never above "/"); symlinks in the path are not
// expanded, so getcwd shows the path as it was given.
#include <kernel/lib/Error.h>
#include <kernel/lib/StringView.h>

namespace proc {

// Writes the absolute, normalized result into `out` (NUL-terminated) and
// returns its length; ENAMETOOLONG when it does not fit in `capacity`.
ErrorOr<usize> join_path(StringView base, StringView path, char* out, usize capacity);

} // namespace proc
