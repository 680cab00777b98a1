// Vnode data operations kept coherent with mapped pages; see FileData.h and
// CachedPages.h.
#include <fs/vfs/CachedPages.h>
#include <fs/vfs/FileData.h>

namespace fs {

ErrorOr<usize> read_data(Vnode& vnode, u64 offset, Bytes buffer)
{
    usize count = TRY(vnode.read(offset, buffer));
    if (CachedPages* cache = vnode.cached_pages(); cache && count > 0)
        cache->overlay_read(offset, buffer.slice(0, count));
    return count;
}

ErrorOr<WriteResult> write_data(Vnode& vnode, u64 offset, ReadonlyBytes data, WriteMode mode)
{
    WriteResult result = TRY(vnode.write(offset, data, mode));
    if (CachedPages* cache = vnode.cached_pages(); cache && result.written > 0)
        cache->update_after_write(result.end_offset - result.written, data.slice(0, result.written));
    return result;
}

ErrorOr<void> truncate_data(Vnode& vnode, u64 size)
{
    u64 old_size = vnode.attributes().size;
    TRY(vnode.truncate(size));
    if (CachedPages* cache = vnode.cached_pages())
        cache->update_after_truncate(min(old_size, size));
    return {};
}

} // namespace fs
