// Vnode defaults: each operation that a type does not support fails the way
// Linux fails it for that type. See Vnode.h for the contract.
#include <fs/vfs/CachedPages.h>
#include <fs/vfs/FileSystem.h>
#include <fs/vfs/OpenFile.h>
#include <fs/vfs/Vnode.h>

namespace fs {

namespace {

constinit Atomic<i64> s_live_vnodes { 0 };
constinit Atomic<u64> s_next_device_id { 1 };

} // namespace

FileSystem::FileSystem()
    : m_device_id(s_next_device_id.fetch_add(1, MemoryOrder::Relaxed))
{
}

Vnode::Vnode(FileSystem& file_system, u64 inode_number, FileType type)
    : m_file_system(file_system)
    , m_inode_number(inode_number)
    , m_type(type)
{
    s_live_vnodes.fetch_add(1, MemoryOrder::Relaxed);
}

Vnode::~Vnode()
{
    delete m_cached_pages;
    s_live_vnodes.fetch_sub(1, MemoryOrder::Relaxed);
}

bool Vnode::unref() const
{
    FileSystem& file_system = m_file_system;
    if (m_file_system_gone.load(MemoryOrder::Acquire) || !file_system.wants_unreference_notices())
        return RefCounted<Vnode>::unref();
    // The filesystem must outlive the notice even if this was the last use
    // of its mount.
    NonnullRefPtr<FileSystem> keep(file_system);
    if (RefCounted<Vnode>::unref())
        return true;
    file_system.vnode_unreferenced();
    return false;
}

ErrorOr<void> Vnode::exchange(StringView, Vnode&, StringView)
{
    return Error::from_errno(is_directory() ? EINVAL : ENOTDIR);
}

ErrorOr<void> Vnode::sync(bool)
{
    return {};
}

ErrorOr<void> FileSystem::sync()
{
    return {};
}

FileSystemStatistics FileSystem::statistics() const
{
    FileSystemStatistics statistics;
    statistics.magic = magic();
    return statistics;
}

i64 live_vnode_count()
{
    return s_live_vnodes.load(MemoryOrder::Relaxed);
}

ErrorOr<NonnullRefPtr<Vnode>> Vnode::lookup(StringView)
{
    return Error::from_errno(ENOTDIR);
}

ErrorOr<NonnullRefPtr<Vnode>> Vnode::create(StringView, u32, u64, NewOwner)
{
    return Error::from_errno(ENOTDIR);
}

ErrorOr<NonnullRefPtr<Vnode>> Vnode::make_directory(StringView, u32, NewOwner)
{
    return Error::from_errno(ENOTDIR);
}

ErrorOr<NonnullRefPtr<Vnode>> Vnode::make_symlink(StringView, StringView, NewOwner)
{
    return Error::from_errno(ENOTDIR);
}

ErrorOr<void> Vnode::link(StringView, Vnode&)
{
    return Error::from_errno(ENOTDIR);
}

ErrorOr<void> Vnode::unlink(StringView)
{
    return Error::from_errno(ENOTDIR);
}

ErrorOr<void> Vnode::remove_directory(StringView)
{
    return Error::from_errno(ENOTDIR);
}

ErrorOr<void> Vnode::rename(StringView, Vnode&, StringView, RenameMode)
{
    return Error::from_errno(ENOTDIR);
}

ErrorOr<u64> Vnode::read_directory(u64, DirectoryVisitor&)
{
    return Error::from_errno(ENOTDIR);
}

ErrorOr<usize> Vnode::read(u64, Bytes)
{
    return Error::from_errno(is_directory() ? EISDIR : EINVAL);
}

ErrorOr<WriteResult> Vnode::write(u64, ReadonlyBytes, WriteMode)
{
    return Error::from_errno(is_directory() ? EISDIR : EINVAL);
}

ErrorOr<void> Vnode::truncate(u64)
{
    return Error::from_errno(is_directory() ? EISDIR : EINVAL);
}

ErrorOr<usize> Vnode::read_link(Bytes)
{
    return Error::from_errno(EINVAL);
}

ErrorOr<NonnullRefPtr<OpenFile>> Vnode::open_file(Location location, u32 flags)
{
    // A socket inode is only a name for connect(2) and sendto(2) (Linux: ENXIO).
    if (type() == FileType::Socket)
        return Error::from_errno(ENXIO);
    auto file = TRY(VnodeFile::try_create(lib::move(location), flags));
    return NonnullRefPtr<OpenFile>(lib::move(file));
}

} // namespace fs
