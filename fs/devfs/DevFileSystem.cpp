// The devfs instance: its device table (see DevFileSystem.h).
#include <fs/devfs/DevNodes.h>
#include <fs/devfs/MemoryDevices.h>
#include <kernel/lib/Placement.h>

namespace fs::devfs {

ErrorOr<NonnullRefPtr<DevFileSystem>> DevFileSystem::try_create()
{
    auto file_system = TRY(adopt_nonnull_ref_or_enomem(new (std::nothrow) DevFileSystem()));
    file_system->m_root = TRY(adopt_nonnull_ref_or_enomem(new (std::nothrow) DevRootDirectory(*file_system)));
    for (const DeviceSpec& spec : memory_devices())
        TRY(file_system->add_device(spec));
    return file_system;
}

DevFileSystem::~DevFileSystem() = default;

NonnullRefPtr<Vnode> DevFileSystem::root()
{
    return NonnullRefPtr<Vnode>(*m_root);
}

ErrorOr<void> DevFileSystem::add_device(const DeviceSpec& spec)
{
    if (spec.name.is_empty() || !spec.open)
        return Error::from_errno(EINVAL);
    // Allocate first, then lock. Inode 1 is the root.
    u64 inode = m_next_inode.fetch_add(1, MemoryOrder::Relaxed);
    auto node = TRY(adopt_nonnull_ref_or_enomem(new (std::nothrow) DeviceNode(*this, inode, spec)));
    SpinlockGuard guard(m_lock);
    for (usize i = 0; i < m_node_count; ++i) {
        if (static_cast<DeviceNode&>(*m_nodes[i]).name() == spec.name)
            return Error::from_errno(EEXIST);
    }
    if (m_node_count == MAX_DEVICES)
        return Error::from_errno(ENOSPC);
    m_nodes[m_node_count++] = lib::move(node);
    return {};
}

RefPtr<Vnode> DevFileSystem::find(StringView name)
{
    SpinlockGuard guard(m_lock);
    for (usize i = 0; i < m_node_count; ++i) {
        if (static_cast<DeviceNode&>(*m_nodes[i]).name() == name)
            return m_nodes[i];
    }
    return nullptr;
}

RefPtr<Vnode> DevFileSystem::node_at(usize index)
{
    SpinlockGuard guard(m_lock);
    if (index >= m_node_count)
        return nullptr;
    return m_nodes[index];
}

} // namespace fs::devfs
