#pragma once

// Shared by the file system-call families: the base directory of an *at
// call, and a kmalloc'd bounce buffer.
#include <kernel/api/fcntl.h>
#include <kernel/mm/Heap.h>
#include <kernel/proc/Process.h>

namespace syscalls {

// The directory a path is resolved from: the cwd for AT_FDCWD or an
// absolute path, else the directory fd's location (EBADF, ENOTDIR).
inline ErrorOr<fs::Location> base_location(proc::Process& process, int dirfd, StringView path)
{
    if (dirfd == AT_FDCWD || (!path.is_empty() && path[0] == '/'))
        return process.cwd();
    auto file = TRY(process.files().get(dirfd));
    const fs::Location* location = file->location();
    if (!location || location->vnode->attributes().type() != fs::FileType::Directory)
        return Error::from_errno(ENOTDIR);
    return *location;
}

// The vnode behind a file descriptor (EBADF; EINVAL for descriptions with
// no filesystem location, such as pipes).
inline ErrorOr<NonnullRefPtr<fs::Vnode>> vnode_of_fd(proc::Process& process, int fd)
{
    auto file = TRY(process.files().get(fd));
    const fs::Location* location = file->location();
    if (!location || !location->vnode)
        return Error::from_errno(EINVAL);
    return NonnullRefPtr<fs::Vnode>(*location->vnode);
}

class KernelBuffer {
public:
    explicit KernelBuffer(usize size)
        : m_data(static_cast<u8*>(kmalloc(size ? size : 1)))
        , m_size(m_data ? size : 0)
    {
    }
    KernelBuffer(const KernelBuffer&) = delete;
    KernelBuffer& operator=(const KernelBuffer&) = delete;
    ~KernelBuffer() { kfree(m_data); }

    bool is_null() const { return !m_data; }
    Bytes span() { return { m_data, m_size }; }

private:
    u8* m_data;
    usize m_size;
};

} // namespace syscalls
