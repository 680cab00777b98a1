// Mounts and the mount table; see Mount.h for the design.
#include <fs/vfs/Mount.h>
#include <kernel/lib/Allocator.h>

namespace fs {

ErrorOr<NonnullRefPtr<Mount>> Mount::try_create(NonnullRefPtr<FileSystem> file_system, RefPtr<Mount> parent,
    RefPtr<Vnode> covered, StringView path, StringView source)
{
    // The path and the source in one buffer: "path\0source\0".
    usize size = path.length() + source.length() + 2;
    char* copy = static_cast<char*>(lib::allocate(size, 1));
    if (!copy)
        return Error::from_errno(ENOMEM);
    for (usize i = 0; i < path.length(); ++i)
        copy[i] = path[i];
    copy[path.length()] = '\0';
    for (usize i = 0; i < source.length(); ++i)
        copy[path.length() + 1 + i] = source[i];
    copy[size - 1] = '\0';
    auto* mount
        = new (std::nothrow) Mount(lib::move(file_system), lib::move(parent), lib::move(covered), copy, path.length());
    if (!mount) {
        lib::deallocate(copy);
        return Error::from_errno(ENOMEM);
    }
    mount->m_source_length = source.length();
    return adopt_ref(*mount);
}

Mount::Mount(
    NonnullRefPtr<FileSystem> file_system, RefPtr<Mount> parent, RefPtr<Vnode> covered, char* path, usize path_length)
    : m_file_system(lib::move(file_system))
    , m_root(m_file_system->root())
    , m_parent(lib::move(parent))
    , m_covered(lib::move(covered))
    , m_path(path)
    , m_path_length(path_length)
{
}

Mount::~Mount()
{
    lib::deallocate(m_path);
}

MountTable::~MountTable()
{
    clear();
}

ErrorOr<void> MountTable::add(NonnullRefPtr<Mount> mount)
{
    SpinlockGuard guard(m_lock);
    if (m_count == MAX_MOUNTS)
        return Error::from_errno(ENOSPC);
    for (usize i = 0; i < m_count; ++i) {
        if (m_mounts[i]->parent() == mount->parent() && m_mounts[i]->covered() == mount->covered())
            return Error::from_errno(EBUSY);
    }
    m_mounts[m_count++] = lib::move(mount);
    return {};
}

ErrorOr<void> MountTable::remove(Mount& mount)
{
    RefPtr<Mount> removed;
    {
        SpinlockGuard guard(m_lock);
        usize index = m_count;
        for (usize i = 0; i < m_count; ++i) {
            if (m_mounts[i].ptr() == &mount)
                index = i;
        }
        if (index == m_count)
            return Error::from_errno(EINVAL);
        // The table's reference plus the caller's: anything more is a user.
        if (mount.ref_count() > 2)
            return Error::from_errno(EBUSY);
        removed = lib::move(m_mounts[index]);
        for (usize i = index; i + 1 < m_count; ++i)
            m_mounts[i] = lib::move(m_mounts[i + 1]);
        --m_count;
    }
    return {};
}

RefPtr<Mount> MountTable::mount_covering(const Mount& parent, const Vnode& vnode) const
{
    SpinlockGuard guard(m_lock);
    for (usize i = 0; i < m_count; ++i) {
        if (m_mounts[i]->parent() == &parent && m_mounts[i]->covered() == &vnode)
            return m_mounts[i];
    }
    return nullptr;
}

bool MountTable::is_covered(const Vnode& vnode) const
{
    SpinlockGuard guard(m_lock);
    for (usize i = 0; i < m_count; ++i) {
        if (m_mounts[i]->covered() == &vnode)
            return true;
    }
    return false;
}

bool MountTable::is_mounted(const FileSystem& file_system) const
{
    SpinlockGuard guard(m_lock);
    for (usize i = 0; i < m_count; ++i) {
        if (&m_mounts[i]->file_system() == &file_system)
            return true;
    }
    return false;
}

usize MountTable::snapshot(Span<RefPtr<Mount>> out) const
{
    SpinlockGuard guard(m_lock);
    usize count = min(m_count, out.size());
    for (usize i = 0; i < count; ++i)
        out[i] = m_mounts[i];
    return count;
}

usize MountTable::count() const
{
    SpinlockGuard guard(m_lock);
    return m_count;
}

void MountTable::clear()
{
    // Children reference their parents, so drop from the newest; the last
    // references go after the lock is released.
    RefPtr<Mount> dropped[MAX_MOUNTS];
    usize count;
    {
        SpinlockGuard guard(m_lock);
        count = m_count;
        for (usize i = 0; i < count; ++i)
            dropped[i] = lib::move(m_mounts[count - 1 - i]);
        m_count = 0;
    }
    for (usize i = 0; i < count; ++i)
        dropped[i].clear();
}

} // namespace fs
