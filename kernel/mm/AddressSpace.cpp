// User address spaces over PageTable; see AddressSpace.h.
#include <kernel/mm/AddressSpace.h>
#include <kernel/mm/Layout.h>

namespace mm {

namespace {
constexpr usize USER_LAST_ROOT_ENTRY = PageTable::KERNEL_HALF_FIRST_ENTRY - 1;
}

ErrorOr<void> AddressSpace::check_user_range(VirtAddr virtual_address, u64 length)
{
    if (length == 0 || !is_aligned<u64>(virtual_address, PAGE_SIZE) || !is_aligned<u64>(length, PAGE_SIZE))
        return Error::from_errno(EINVAL);
    if (virtual_address >= USER_END || length > USER_END - virtual_address)
        return Error::from_errno(EFAULT);
    return {};
}

LeafVisitor AddressSpace::releasing_visitor(MappedFrames frames, FrameReleaser& release)
{
    if (frames == MappedFrames::Keep || !release)
        return {};
    return {
        [](void* context, VirtAddr, PhysAddr physical, PageSize size) {
            (*static_cast<FrameReleaser*>(context))(physical, size);
        },
        &release,
    };
}

ErrorOr<void> AddressSpace::create(PageTableMemory& memory, PhysAddr kernel_root, PagingFeatures features)
{
    // Allocate before locking; the object is not shared until create returns.
    PhysAddr root = TRY(PageTable::allocate_root(memory));
    SpinlockGuard guard(m_lock);
    if (m_root) {
        memory.free_table(root);
        return Error::from_errno(EEXIST);
    }
    m_memory = &memory;
    m_root = root;
    m_features = features;
    PageTable table(memory, root, features);
    table.copy_root_entries(kernel_root, PageTable::KERNEL_HALF_FIRST_ENTRY, PageTable::ENTRIES - 1);
    return {};
}

void AddressSpace::destroy(MappedFrames frames, FrameReleaser release)
{
    SpinlockGuard guard(m_lock);
    if (!m_root)
        return;
    PageTable table(*m_memory, m_root, m_features);
    // Only the user half is ours; the kernel half's tables are shared.
    table.release(0, USER_LAST_ROOT_ENTRY, releasing_visitor(frames, release));
    m_memory->free_table(m_root);
    m_root = 0;
}

ErrorOr<void> AddressSpace::map(
    VirtAddr virtual_address, PhysAddr physical, u64 length, PageFlags flags, PageSize largest)
{
    TRY(check_user_range(virtual_address, length));
    SpinlockGuard guard(m_lock);
    if (!m_root)
        return Error::from_errno(EINVAL);
    PageTable table(*m_memory, m_root, m_features);
    return table.map_range(virtual_address, physical, length, flags | PageFlags::User, largest);
}

ErrorOr<void> AddressSpace::unmap(VirtAddr virtual_address, u64 length, MappedFrames frames, FrameReleaser release)
{
    TRY(check_user_range(virtual_address, length));
    SpinlockGuard guard(m_lock);
    if (!m_root)
        return Error::from_errno(EINVAL);
    PageTable table(*m_memory, m_root, m_features);
    return table.unmap(virtual_address, length, releasing_visitor(frames, release));
}

ErrorOr<void> AddressSpace::protect(VirtAddr virtual_address, u64 length, PageFlags flags)
{
    TRY(check_user_range(virtual_address, length));
    SpinlockGuard guard(m_lock);
    if (!m_root)
        return Error::from_errno(EINVAL);
    PageTable table(*m_memory, m_root, m_features);
    return table.protect(virtual_address, length, flags | PageFlags::User);
}

ErrorOr<Translation> AddressSpace::query(VirtAddr virtual_address) const
{
    if (virtual_address >= USER_END)
        return Error::from_errno(EFAULT);
    SpinlockGuard guard(m_lock);
    if (!m_root)
        return Error::from_errno(EINVAL);
    PageTable table(*m_memory, m_root, m_features);
    return table.query(virtual_address);
}

} // namespace mm
