#pragma once

// The data operations on a vnode as the rest of the VFS and the system calls
// must call them: the vnode's own read/write/truncate, plus the page-cache
// coherence described in CachedPages.h.
#include <fs/vfs/Vnode.h>

namespace fs {

ErrorOr<usize> read_data(Vnode& vnode, u64 offset, Bytes buffer);
ErrorOr<WriteResult> write_data(Vnode& vnode, u64 offset, ReadonlyBytes data, WriteMode mode);
ErrorOr<void> truncate_data(Vnode& vnode, u64 size);

} // namespace fs
