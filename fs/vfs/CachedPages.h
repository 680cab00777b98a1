#pragma once

// Coherence between a file's shared memory mappings and read/write/truncate.
//
// While a file is mapped (mmap), the kernel keeps its mapped pages in a page
// cache (kernel/user/FilePages.h) whose frames the mappings share: that is
// what makes two MAP_SHARED mappings see each other's stores. The vnode then
// points at the cache through this interface, and every data operation on
// the vnode goes through FileData.h, which keeps the two in step:
//   - a write (or truncate) goes to the filesystem first, then into the
//     cached pages it overlaps, so mappings see it at once;
//   - a read gets the filesystem's bytes, then the cached pages' bytes over
//     them, since stores through a mapping reach the filesystem only at
//     write-back (msync, munmap, exit, fsync).
// Without a cache (the common case) the operations go straight to the vnode.
//
// Locking: the implementation locks itself; callers hold no lock.
#include <kernel/lib/Span.h>
#include <kernel/lib/Types.h>

namespace fs {

class CachedPages {
public:
    // The owning vnode deletes its cache with itself (Vnode::~Vnode).
    virtual ~CachedPages() = default;

    // Copies the cached bytes of [offset, offset + buffer.size()) over `buffer`.
    virtual void overlay_read(u64 offset, Bytes buffer) = 0;
    // Copies freshly written file bytes into the cached pages they overlap.
    virtual void update_after_write(u64 offset, ReadonlyBytes data) = 0;
    // The file's size changed (truncate): cached bytes from `from` on (the
    // smaller of the old and new size) become zero, as the file reads there.
    virtual void update_after_truncate(u64 from) = 0;
};

} // namespace fs
