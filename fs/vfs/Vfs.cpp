// The Vfs object: root and mounts, and the kernel's instance. Path walk is in
// PathWalk.cpp, the namespace operations in VfsOperations.cpp.
#include <fs/vfs/Vfs.h>

namespace fs {

namespace {

// The kernel's Vfs, constructed in place by init_vfs (no global constructors).
alignas(Vfs) u8 s_vfs_storage[sizeof(Vfs)];
Vfs* s_vfs;

} // namespace

void init_vfs()
{
    if (!s_vfs)
        s_vfs = new (s_vfs_storage) Vfs();
}

Vfs& vfs()
{
    LIB_VERIFY(s_vfs);
    return *s_vfs;
}

Vfs::~Vfs()
{
    unmount_all();
}

void Vfs::unmount_all()
{
    m_names.clear();
    m_root_mount.clear();
    m_mounts.clear();
}

Location Vfs::root() const
{
    if (!m_root_mount)
        return {};
    return { m_root_mount, m_root_mount->root() };
}

ErrorOr<void> Vfs::mount_root(NonnullRefPtr<FileSystem> file_system)
{
    if (m_root_mount)
        return Error::from_errno(EBUSY);
    auto mount = TRY(Mount::try_create(lib::move(file_system), nullptr, nullptr, "/"));
    TRY(m_mounts.add(mount));
    m_root_mount = lib::move(mount);
    return {};
}

ErrorOr<void> Vfs::mount(const Context& context, const Location& base, StringView path,
    NonnullRefPtr<FileSystem> file_system, StringView display_path, StringView source, u32 flags)
{
    if (!context.credentials.is_root())
        return Error::from_errno(EPERM);
    Location point = TRY(resolve(context, base, path, FollowFinal::Yes));
    if (!point.vnode->is_directory())
        return Error::from_errno(ENOTDIR);
    if (m_mounts.is_mounted(*file_system))
        return Error::from_errno(EBUSY);
    auto mount = TRY(Mount::try_create(
        lib::move(file_system), point.mount, point.vnode, display_path.is_empty() ? path : display_path, source));
    mount->set_flags(flags);
    return m_mounts.add(lib::move(mount));
}

ErrorOr<void> Vfs::unmount(const Context& context, const Location& base, StringView path)
{
    if (!context.credentials.is_root())
        return Error::from_errno(EPERM);
    Location target = TRY(resolve(context, base, path, FollowFinal::Yes));
    if (target.vnode != target.mount->root().ptr())
        return Error::from_errno(EINVAL);
    if (target.mount == m_root_mount)
        return Error::from_errno(EBUSY);
    RefPtr<Mount> mount = lib::move(target.mount);
    target.vnode.clear();
    // Cached names hold vnodes, which must not outlive their filesystem.
    m_names.forget_file_system(mount->file_system());
    // Now `mount` is the only reference outside the table.
    return m_mounts.remove(*mount);
}

} // namespace fs
