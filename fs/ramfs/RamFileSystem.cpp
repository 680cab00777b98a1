// ramfs: the filesystem object and the node kinds with no data of their own
// (RamNode metadata, RamSymlink, RamSpecial). See RamFileSystem.h and RamNode.h.
#include <fs/ramfs/RamDirectory.h>
#include <fs/ramfs/RamFileSystem.h>
#include <kernel/lib/Allocator.h>

namespace fs::ramfs {

ErrorOr<NonnullRefPtr<RamFileSystem>> RamFileSystem::try_create(
    u32 root_mode, NewOwner root_owner, RamFlavor flavor, u64 page_limit)
{
    auto file_system = TRY(adopt_nonnull_ref_or_enomem(new (std::nothrow) RamFileSystem()));
    file_system->m_flavor = flavor;
    file_system->m_page_limit = page_limit;
    auto root = TRY(RamDirectory::try_create(*file_system, root_mode, root_owner));
    root->become_root();
    file_system->m_root = lib::move(root);
    return file_system;
}

RamFileSystem::~RamFileSystem()
{
    m_root.clear(); // a root held by nobody else frees its tree iteratively
}

NonnullRefPtr<Vnode> RamFileSystem::root()
{
    return NonnullRefPtr<Vnode>(*m_root);
}

bool RamFileSystem::reserve_pages(u64 count)
{
    u64 used = m_pages_in_use.load(MemoryOrder::Relaxed);
    for (;;) {
        if (m_page_limit && (count > m_page_limit || used > m_page_limit - count))
            return false;
        if (m_pages_in_use.compare_exchange(used, used + count, MemoryOrder::Relaxed))
            return true;
    }
}

void RamFileSystem::release_pages(u64 count)
{
    m_pages_in_use.fetch_sub(count, MemoryOrder::Relaxed);
}

// Linux's ramfs reports zero counts; tmpfs its size limit and the pages free
// under it (Osprey keeps no inode limit, so the file counts stay zero).
FileSystemStatistics RamFileSystem::statistics() const
{
    FileSystemStatistics statistics;
    statistics.block_size = PAGE_SIZE;
    if (m_flavor == RamFlavor::Ramfs) {
        statistics.magic = magic::Ramfs;
        return statistics;
    }
    statistics.magic = magic::Tmpfs;
    u64 used = pages_in_use();
    statistics.blocks = m_page_limit;
    statistics.free_blocks = m_page_limit > used ? m_page_limit - used : 0;
    statistics.available_blocks = statistics.free_blocks;
    return statistics;
}

usize RamFileSystem::format_options(Bytes buffer) const
{
    if (m_flavor != RamFlavor::Tmpfs || m_page_limit == 0)
        return 0;
    // ",size=<n>k", as Linux's tmpfs shows it.
    char digits[24];
    usize count = 0;
    u64 value = m_page_limit * (PAGE_SIZE / 1024);
    do {
        digits[count++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value);
    StringView prefix = ",size=";
    usize needed = prefix.length() + count + 1;
    if (needed > buffer.size())
        return 0;
    usize at = 0;
    for (char c : prefix)
        buffer[at++] = static_cast<u8>(c);
    while (count)
        buffer[at++] = static_cast<u8>(digits[--count]);
    buffer[at++] = 'k';
    return at;
}

RamNode::RamNode(RamFileSystem& file_system, FileType type, u32 mode, NewOwner owner, u64 rdev)
    : Vnode(file_system, file_system.allocate_inode_number(), type)
    , m_mode(mode)
    , m_uid(owner.uid)
    , m_gid(owner.gid)
    , m_rdev(rdev)
{
    Timespec now = current_time();
    m_access_time = now;
    m_modify_time = now;
    m_change_time = now;
}

RamFileSystem& RamNode::ram_fs() const
{
    return static_cast<RamFileSystem&>(file_system());
}

Attributes RamNode::attributes() const
{
    Attributes attributes;
    attributes.device = file_system().device_id();
    attributes.inode = inode_number();
    attributes.rdev = m_rdev;
    {
        SpinlockGuard guard(ram_fs().tree_lock());
        attributes.mode = m_mode;
        attributes.uid = m_uid;
        attributes.gid = m_gid;
        attributes.link_count = m_link_count;
        attributes.access_time = m_access_time;
        attributes.modify_time = m_modify_time;
        attributes.change_time = m_change_time;
    }
    fill_size(attributes);
    return attributes;
}

ErrorOr<void> RamNode::set_attributes(const AttributeChange& change)
{
    Timespec now = current_time();
    SpinlockGuard guard(ram_fs().tree_lock());
    if (change.set_mode)
        m_mode = (m_mode & mode::TypeMask) | (change.mode & mode::PermissionMask);
    if (change.set_uid)
        m_uid = change.uid;
    if (change.set_gid)
        m_gid = change.gid;
    if (change.set_access_time)
        m_access_time = change.access_time;
    if (change.set_modify_time)
        m_modify_time = change.modify_time;
    if (!change.keep_change_time)
        m_change_time = now;
    return {};
}

void RamNode::touch_modified_locked(Timespec now)
{
    m_modify_time = now;
    m_change_time = now;
}

void RamNode::touch_modified()
{
    Timespec now = current_time();
    SpinlockGuard guard(ram_fs().tree_lock());
    touch_modified_locked(now);
}

ErrorOr<NonnullRefPtr<RamSymlink>> RamSymlink::try_create(RamFileSystem& file_system, StringView target, NewOwner owner)
{
    if (target.is_empty() || target.length() >= MAX_PATH_LENGTH)
        return Error::from_errno(target.is_empty() ? ENOENT : ENAMETOOLONG);
    char* copy = static_cast<char*>(lib::allocate(target.length(), 1));
    if (!copy)
        return Error::from_errno(ENOMEM);
    __builtin_memcpy(copy, target.characters(), target.length());
    auto* link = new (std::nothrow) RamSymlink(file_system, copy, target.length(), owner);
    if (!link) {
        lib::deallocate(copy);
        return Error::from_errno(ENOMEM);
    }
    return adopt_ref(*link);
}

RamSymlink::RamSymlink(RamFileSystem& file_system, char* target, usize length, NewOwner owner)
    : RamNode(file_system, FileType::Symlink, mode::Symlink | 0777, owner)
    , m_target(target)
    , m_length(length)
{
}

RamSymlink::~RamSymlink()
{
    lib::deallocate(m_target);
}

ErrorOr<usize> RamSymlink::read_link(Bytes buffer)
{
    usize count = min(buffer.size(), m_length);
    if (count)
        __builtin_memcpy(buffer.data(), m_target, count);
    return count;
}

void RamSymlink::fill_size(Attributes& attributes) const
{
    attributes.size = m_length;
}

ErrorOr<NonnullRefPtr<RamSpecial>> RamSpecial::try_create(
    RamFileSystem& file_system, u32 mode, u64 rdev, NewOwner owner)
{
    FileType type = file_type_of(mode);
    if (type == FileType::Regular || type == FileType::Directory || type == FileType::Symlink
        || type == FileType::Unknown)
        return Error::from_errno(EINVAL);
    return adopt_nonnull_ref_or_enomem(new (std::nothrow) RamSpecial(file_system, mode, rdev, owner));
}

RamSpecial::RamSpecial(RamFileSystem& file_system, u32 mode, u64 rdev, NewOwner owner)
    : RamNode(file_system, file_type_of(mode), mode, owner, rdev)
{
}

} // namespace fs::ramfs
