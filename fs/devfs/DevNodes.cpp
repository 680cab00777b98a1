// devfs vnodes (see DevNodes.h and DevFileSystem.h).
#include <fs/devfs/DevNodes.h>

namespace fs::devfs {

namespace {
constexpr u64 ROOT_INODE = 1;
}

void apply_change(Attributes& attributes, const AttributeChange& change)
{
    if (change.set_mode)
        attributes.mode = (attributes.mode & mode::TypeMask) | (change.mode & mode::PermissionMask);
    if (change.set_uid)
        attributes.uid = change.uid;
    if (change.set_gid)
        attributes.gid = change.gid;
    if (change.set_access_time)
        attributes.access_time = change.access_time;
    if (change.set_modify_time)
        attributes.modify_time = change.modify_time;
    attributes.change_time = current_time();
}

// A spec's permissions may carry mode::BlockDevice; character is the default.
static u32 device_type_bits(const DeviceSpec& spec)
{
    return (spec.permissions & mode::TypeMask) == mode::BlockDevice ? mode::BlockDevice : mode::CharacterDevice;
}

DeviceNode::DeviceNode(DevFileSystem& file_system, u64 inode, const DeviceSpec& spec)
    : Vnode(file_system, inode, file_type_of(device_type_bits(spec)))
    , m_spec(spec)
{
    m_attributes.device = file_system.device_id();
    m_attributes.inode = inode;
    m_attributes.mode = device_type_bits(spec) | (spec.permissions & mode::PermissionMask);
    m_attributes.link_count = 1;
    m_attributes.rdev = encode_device(spec.major, spec.minor);
    m_attributes.block_size = 4096;
    Timespec now = current_time();
    m_attributes.access_time = now;
    m_attributes.modify_time = now;
    m_attributes.change_time = now;
}

Attributes DeviceNode::attributes() const
{
    SpinlockGuard guard(m_lock);
    return m_attributes;
}

ErrorOr<void> DeviceNode::set_attributes(const AttributeChange& change)
{
    SpinlockGuard guard(m_lock);
    apply_change(m_attributes, change);
    return {};
}

ErrorOr<NonnullRefPtr<OpenFile>> DeviceNode::open_file(Location location, u32 flags)
{
    return m_spec.open(lib::move(location), flags);
}

DevRootDirectory::DevRootDirectory(DevFileSystem& file_system)
    : Vnode(file_system, ROOT_INODE, FileType::Directory)
{
    m_attributes.device = file_system.device_id();
    m_attributes.inode = ROOT_INODE;
    m_attributes.mode = mode::Directory | 0755;
    m_attributes.link_count = 2;
    m_attributes.block_size = 4096;
    Timespec now = current_time();
    m_attributes.access_time = now;
    m_attributes.modify_time = now;
    m_attributes.change_time = now;
}

Attributes DevRootDirectory::attributes() const
{
    SpinlockGuard guard(m_lock);
    return m_attributes;
}

ErrorOr<void> DevRootDirectory::set_attributes(const AttributeChange& change)
{
    SpinlockGuard guard(m_lock);
    apply_change(m_attributes, change);
    return {};
}

ErrorOr<NonnullRefPtr<Vnode>> DevRootDirectory::lookup(StringView name)
{
    if (name == "..")
        return NonnullRefPtr<Vnode>(*this);
    RefPtr<Vnode> node = dev_fs().find(name);
    if (!node)
        return Error::from_errno(ENOENT);
    return NonnullRefPtr<Vnode>(*node);
}

ErrorOr<NonnullRefPtr<Vnode>> DevRootDirectory::create(StringView, u32, u64, NewOwner)
{
    return Error::from_errno(EPERM);
}

ErrorOr<NonnullRefPtr<Vnode>> DevRootDirectory::make_directory(StringView, u32, NewOwner)
{
    return Error::from_errno(EPERM);
}

ErrorOr<NonnullRefPtr<Vnode>> DevRootDirectory::make_symlink(StringView, StringView, NewOwner)
{
    return Error::from_errno(EPERM);
}

ErrorOr<void> DevRootDirectory::link(StringView, Vnode&)
{
    return Error::from_errno(EPERM);
}

ErrorOr<void> DevRootDirectory::unlink(StringView name)
{
    return Error::from_errno(dev_fs().find(name) ? EPERM : ENOENT);
}

ErrorOr<void> DevRootDirectory::remove_directory(StringView name)
{
    return Error::from_errno(dev_fs().find(name) ? ENOTDIR : ENOENT);
}

ErrorOr<void> DevRootDirectory::rename(StringView, Vnode&, StringView, RenameMode)
{
    return Error::from_errno(EPERM);
}

// Cookies: 0 ".", 1 "..", 2 + i the table's entry i (entries are never
// removed, so a cookie stays valid).
ErrorOr<u64> DevRootDirectory::read_directory(u64 cookie, DirectoryVisitor& visitor)
{
    if (cookie == 0) {
        if (!visitor.visit({ ".", ROOT_INODE, FileType::Directory, 1 }))
            return cookie;
        cookie = 1;
    }
    if (cookie == 1) {
        if (!visitor.visit({ "..", ROOT_INODE, FileType::Directory, 2 }))
            return cookie;
        cookie = 2;
    }
    for (;;) {
        RefPtr<Vnode> node = dev_fs().node_at(cookie - 2);
        if (!node)
            return cookie;
        auto& device = static_cast<DeviceNode&>(*node);
        if (!visitor.visit({ device.name(), device.inode_number(), device.type(), cookie + 1 }))
            return cookie;
        ++cookie;
    }
}

} // namespace fs::devfs
