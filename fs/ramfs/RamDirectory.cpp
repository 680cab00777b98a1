// ramfs directories; see RamDirectory.h for the design and the locking.
#include <fs/ramfs/RamDirectory.h>
#include <fs/ramfs/RamFile.h>
#include <fs/ramfs/RamFileSystem.h>
#include <kernel/lib/Allocator.h>

namespace fs::ramfs {

namespace {

// tmpfs's BOGO_DIRENT_SIZE: a directory's st_size is 20 bytes per entry.
constexpr u64 BOGUS_ENTRY_SIZE = 20;

// read_directory copies names out under the lock into a buffer of this size,
// then visits them unlocked.
constexpr usize BATCH_BYTES = 4096;

struct BatchRecord {
    u64 cookie;
    u64 inode;
    FileType type;
    u16 name_length;
    // followed by the name, then padding to 8 bytes
};

} // namespace

ErrorOr<RamDirEntry*> RamDirEntry::try_create(StringView name)
{
    char* copy = static_cast<char*>(lib::allocate(name.length(), 1));
    if (!copy)
        return Error::from_errno(ENOMEM);
    __builtin_memcpy(copy, name.characters(), name.length());
    auto* entry = new (std::nothrow) RamDirEntry(copy, name.length());
    if (!entry) {
        lib::deallocate(copy);
        return Error::from_errno(ENOMEM);
    }
    entry->name_hash = RamDirIndex::hash_of(name);
    return entry;
}

RamDirEntry::RamDirEntry(char* name, usize length)
    : m_name(name)
    , m_name_length(length)
{
}

RamDirEntry::~RamDirEntry()
{
    lib::deallocate(m_name);
}

void release_entries(RamDirEntryList& list)
{
    // Entries of a directory held only by the entry being freed are moved to
    // the pending list first, so freeing never recurses.
    RamDirEntryList pending;
    while (RamDirEntry* entry = list.pop_front())
        pending.push_back(*entry);
    while (RamDirEntry* entry = pending.pop_front()) {
        if (entry->node && entry->node->is_directory() && entry->node->ref_count() == 1) {
            auto& directory = static_cast<RamDirectory&>(*entry->node);
            directory.move_entries_to(pending);
        }
        delete entry;
    }
}

ErrorOr<NonnullRefPtr<RamDirectory>> RamDirectory::try_create(RamFileSystem& file_system, u32 mode, NewOwner owner)
{
    return adopt_nonnull_ref_or_enomem(new (std::nothrow) RamDirectory(file_system, mode, owner));
}

RamDirectory::RamDirectory(RamFileSystem& file_system, u32 mode, NewOwner owner)
    : RamNode(file_system, FileType::Directory, mode::Directory | (mode & mode::PermissionMask), owner)
{
}

RamDirectory::~RamDirectory()
{
    m_index.forget_all();
    release_entries(m_entries);
}

void RamDirectory::move_entries_to(RamDirEntryList& list)
{
    // Only called on a directory nobody else references: no lock needed.
    m_index.forget_all();
    while (RamDirEntry* entry = m_entries.pop_front())
        list.push_back(*entry);
}

void RamDirectory::become_root()
{
    SpinlockGuard guard(ram_fs().tree_lock());
    m_parent = this;
    m_link_count = 2;
}

void RamDirectory::fill_size(Attributes& attributes) const
{
    SpinlockGuard guard(ram_fs().tree_lock());
    attributes.size = (m_entries.size() + 2) * BOGUS_ENTRY_SIZE;
}

RamDirEntry* RamDirectory::find_locked(StringView name)
{
    return m_index.find(name);
}

void RamDirectory::append_locked(RamDirEntry& entry)
{
    entry.cookie = m_next_cookie++;
    m_entries.push_back(entry);
    m_index.insert(entry);
}

void RamDirectory::remove_locked(RamDirEntry& entry)
{
    m_index.remove(entry);
    m_entries.remove(entry);
}

ErrorOr<void> RamDirectory::reserve_index_slot()
{
    usize wanted;
    {
        SpinlockGuard guard(ram_fs().tree_lock());
        wanted = m_index.buckets_wanted();
    }
    if (!wanted)
        return {};
    // An array of entry pointers, which is what the sizeof measures.
    // NOLINTNEXTLINE(bugprone-sizeof-expression)
    auto** buckets = static_cast<RamDirEntry**>(lib::allocate(wanted * sizeof(RamDirEntry*), alignof(RamDirEntry*)));
    if (!buckets)
        return Error::from_errno(ENOMEM);
    for (usize i = 0; i < wanted; ++i)
        buckets[i] = nullptr;
    void* unused;
    {
        SpinlockGuard guard(ram_fs().tree_lock());
        unused = m_index.install_buckets(buckets, wanted);
    }
    lib::deallocate(unused);
    return {};
}

NewOwner RamDirectory::child_owner(NewOwner owner, u32& mode) const
{
    SpinlockGuard guard(ram_fs().tree_lock());
    if (m_mode & mode::SetGid) {
        owner.gid = m_gid;
        if ((mode & mode::TypeMask) == mode::Directory)
            mode |= mode::SetGid;
    }
    return owner;
}

ErrorOr<NonnullRefPtr<Vnode>> RamDirectory::lookup(StringView name)
{
    SpinlockGuard guard(ram_fs().tree_lock());
    if (name == ".")
        return NonnullRefPtr<Vnode>(*this);
    if (name == "..") {
        if (!m_parent)
            return Error::from_errno(ENOENT);
        return NonnullRefPtr<Vnode>(*m_parent);
    }
    RamDirEntry* entry = find_locked(name);
    if (!entry)
        return Error::from_errno(ENOENT);
    return NonnullRefPtr<Vnode>(*entry->node);
}

ErrorOr<void> RamDirectory::insert_new(StringView name, const NonnullRefPtr<RamNode>& node)
{
    RamDirEntry* entry = TRY(RamDirEntry::try_create(name));
    if (auto reserved = reserve_index_slot(); reserved.is_error()) {
        delete entry;
        return reserved.error();
    }
    Timespec now = current_time();
    bool inserted = false;
    int error = 0;
    {
        SpinlockGuard guard(ram_fs().tree_lock());
        if (is_removed_locked()) {
            error = ENOENT;
        } else if (find_locked(name)) {
            error = EEXIST;
        } else {
            entry->node = node;
            node->m_link_count = 1;
            if (node->is_directory()) {
                auto& directory = static_cast<RamDirectory&>(*node);
                directory.m_parent = this;
                directory.m_link_count = 2; // its entry here and its "."
                ++m_link_count;             // its ".."
            }
            append_locked(*entry);
            touch_modified_locked(now);
            inserted = true;
        }
    }
    if (!inserted) {
        delete entry;
        return Error::from_errno(error);
    }
    return {};
}

ErrorOr<NonnullRefPtr<Vnode>> RamDirectory::create(StringView name, u32 mode, u64 rdev, NewOwner owner)
{
    if ((mode & mode::TypeMask) == 0)
        mode |= mode::Regular;
    owner = child_owner(owner, mode);
    RefPtr<RamNode> node;
    if ((mode & mode::TypeMask) == mode::Regular)
        node = TRY(RamFile::try_create(ram_fs(), mode, owner));
    else
        node = TRY(RamSpecial::try_create(ram_fs(), mode, rdev, owner));
    TRY(insert_new(name, *node));
    return NonnullRefPtr<Vnode>(*node);
}

ErrorOr<NonnullRefPtr<Vnode>> RamDirectory::make_directory(StringView name, u32 mode, NewOwner owner)
{
    mode = (mode & mode::PermissionMask) | mode::Directory;
    owner = child_owner(owner, mode);
    auto directory = TRY(RamDirectory::try_create(ram_fs(), mode, owner));
    TRY(insert_new(name, directory));
    return NonnullRefPtr<Vnode>(directory);
}

ErrorOr<NonnullRefPtr<Vnode>> RamDirectory::make_symlink(StringView name, StringView target, NewOwner owner)
{
    u32 mode = mode::Symlink;
    owner = child_owner(owner, mode);
    auto link = TRY(RamSymlink::try_create(ram_fs(), target, owner));
    TRY(insert_new(name, link));
    return NonnullRefPtr<Vnode>(link);
}

ErrorOr<void> RamDirectory::link(StringView name, Vnode& target)
{
    if (&target.file_system() != &file_system())
        return Error::from_errno(EXDEV);
    if (target.is_directory())
        return Error::from_errno(EPERM);
    auto& node = static_cast<RamNode&>(target);
    RamDirEntry* entry = TRY(RamDirEntry::try_create(name));
    if (auto reserved = reserve_index_slot(); reserved.is_error()) {
        delete entry;
        return reserved.error();
    }
    Timespec now = current_time();
    int error = 0;
    {
        SpinlockGuard guard(ram_fs().tree_lock());
        if (is_removed_locked() || node.m_link_count == 0)
            error = ENOENT;
        else if (find_locked(name))
            error = EEXIST;
        else if (node.m_link_count == ~u32(0))
            error = EMLINK;
        if (!error) {
            entry->node = &node;
            ++node.m_link_count;
            node.m_change_time = now;
            append_locked(*entry);
            touch_modified_locked(now);
            entry = nullptr;
        }
    }
    delete entry;
    if (error)
        return Error::from_errno(error);
    return {};
}

ErrorOr<void> RamDirectory::unlink(StringView name)
{
    RamDirEntry* removed = nullptr;
    Timespec now = current_time();
    {
        SpinlockGuard guard(ram_fs().tree_lock());
        RamDirEntry* entry = find_locked(name);
        if (!entry)
            return Error::from_errno(ENOENT);
        if (entry->node->is_directory())
            return Error::from_errno(EISDIR);
        remove_locked(*entry);
        --entry->node->m_link_count;
        entry->node->m_change_time = now;
        touch_modified_locked(now);
        removed = entry;
    }
    delete removed; // drops the node reference outside the lock
    return {};
}

ErrorOr<void> RamDirectory::remove_directory(StringView name)
{
    RamDirEntry* removed = nullptr;
    Timespec now = current_time();
    {
        SpinlockGuard guard(ram_fs().tree_lock());
        RamDirEntry* entry = find_locked(name);
        if (!entry)
            return Error::from_errno(ENOENT);
        if (!entry->node->is_directory())
            return Error::from_errno(ENOTDIR);
        auto& directory = static_cast<RamDirectory&>(*entry->node);
        if (!directory.m_entries.is_empty())
            return Error::from_errno(ENOTEMPTY);
        remove_locked(*entry);
        directory.m_parent = nullptr;
        directory.m_link_count = 0;
        directory.m_change_time = now;
        --m_link_count;
        touch_modified_locked(now);
        removed = entry;
    }
    delete removed;
    return {};
}

ErrorOr<void> RamDirectory::rename(StringView old_name, Vnode& new_parent_vnode, StringView new_name, RenameMode mode)
{
    if (&new_parent_vnode.file_system() != &file_system())
        return Error::from_errno(EXDEV);
    if (!new_parent_vnode.is_directory())
        return Error::from_errno(ENOTDIR);
    auto& new_parent = static_cast<RamDirectory&>(new_parent_vnode);
    RamDirEntry* moved = TRY(RamDirEntry::try_create(new_name));
    if (auto reserved = new_parent.reserve_index_slot(); reserved.is_error()) {
        delete moved;
        return reserved.error();
    }
    RamDirEntry* old_entry = nullptr;
    RamDirEntry* replaced = nullptr;
    Timespec now = current_time();
    int error = 0;
    {
        SpinlockGuard guard(ram_fs().tree_lock());
        RamDirEntry* source = find_locked(old_name);
        RamDirEntry* target = new_parent.find_locked(new_name);
        if (!source || new_parent.is_removed_locked()) {
            error = ENOENT;
        } else if (target && mode == RenameMode::NoReplace) {
            error = EEXIST; // checked under the tree lock: one racing renamer wins
        } else if (target && target->node == source->node) {
            error = 0; // two names of one file: nothing to do
            old_entry = moved;
            moved = nullptr;
        } else if (source->node->is_directory()) {
            auto& directory = static_cast<RamDirectory&>(*source->node);
            if (target && !target->node->is_directory())
                error = ENOTDIR;
            else if (target && !static_cast<RamDirectory&>(*target->node).m_entries.is_empty())
                error = ENOTEMPTY;
            // A directory cannot move below itself (Linux: EINVAL).
            for (RamDirectory* ancestor = &new_parent; !error && ancestor; ancestor = ancestor->m_parent) {
                if (ancestor == &directory)
                    error = EINVAL;
                if (ancestor->m_parent == ancestor)
                    break;
            }
        } else if (target && target->node->is_directory()) {
            error = EISDIR;
        }

        if (!error && moved) {
            RefPtr<RamNode> node = source->node;
            bool is_directory = node->is_directory();
            if (target) {
                new_parent.remove_locked(*target);
                if (is_directory) {
                    auto& victim = static_cast<RamDirectory&>(*target->node);
                    victim.m_parent = nullptr;
                    victim.m_link_count = 0;
                    --new_parent.m_link_count;
                } else {
                    --target->node->m_link_count;
                }
                target->node->m_change_time = now;
                replaced = target;
            }
            remove_locked(*source);
            old_entry = source;
            moved->node = node;
            new_parent.append_locked(*moved);
            moved = nullptr;
            if (is_directory && &new_parent != this) {
                static_cast<RamDirectory&>(*node).m_parent = &new_parent;
                --m_link_count;
                ++new_parent.m_link_count;
            }
            node->m_change_time = now;
            touch_modified_locked(now);
            new_parent.touch_modified_locked(now);
        }
    }
    delete moved;
    delete old_entry;
    delete replaced;
    if (error)
        return Error::from_errno(error);
    return {};
}

ErrorOr<u64> RamDirectory::read_directory(u64 cookie, DirectoryVisitor& visitor)
{
    if (cookie == 0) {
        if (!visitor.visit({ ".", inode_number(), FileType::Directory, 1 }))
            return cookie;
        cookie = 1;
    }
    if (cookie == 1) {
        u64 parent_inode;
        {
            SpinlockGuard guard(ram_fs().tree_lock());
            parent_inode = m_parent ? m_parent->inode_number() : inode_number();
        }
        if (!visitor.visit({ "..", parent_inode, FileType::Directory, 2 }))
            return cookie;
        cookie = 2;
    }

    u8* batch = static_cast<u8*>(lib::allocate(BATCH_BYTES, alignof(BatchRecord)));
    if (!batch)
        return Error::from_errno(ENOMEM);
    for (;;) {
        usize used = 0;
        bool more = false;
        {
            SpinlockGuard guard(ram_fs().tree_lock());
            for (RamDirEntry* next = m_index.first_at_or_after(cookie); next;
                 next = m_index.first_at_or_after(next->cookie + 1)) {
                RamDirEntry& entry = *next;
                usize size = align_up(sizeof(BatchRecord) + entry.name().length(), alignof(BatchRecord));
                if (size > BATCH_BYTES - used) {
                    more = true;
                    break;
                }
                auto* record = new (batch + used) BatchRecord { entry.cookie, entry.node->inode_number(),
                    entry.node->type(), static_cast<u16>(entry.name().length()) };
                __builtin_memcpy(record + 1, entry.name().characters(), entry.name().length());
                used += size;
            }
        }
        for (usize offset = 0; offset < used;) {
            auto* record = reinterpret_cast<BatchRecord*>(batch + offset);
            StringView name(reinterpret_cast<const char*>(record + 1), record->name_length);
            if (!visitor.visit({ name, record->inode, record->type, record->cookie + 1 })) {
                u64 resume = record->cookie;
                lib::deallocate(batch);
                return resume;
            }
            cookie = record->cookie + 1;
            offset += align_up(sizeof(BatchRecord) + record->name_length, alignof(BatchRecord));
        }
        if (!more)
            break;
    }
    lib::deallocate(batch);
    return cookie;
}

} // namespace fs::ramfs

namespace fs::ramfs {

bool RamDirectory::is_below_locked(const RamDirectory& directory) const
{
    for (const RamDirectory* ancestor = this; ancestor; ancestor = ancestor->m_parent) {
        if (ancestor == &directory)
            return true;
        if (ancestor->m_parent == ancestor)
            break;
    }
    return false;
}

// The two entries keep their names and cookies and swap nodes; directories
// that change parent take their ".." (and the parents' link counts) along.
ErrorOr<void> RamDirectory::exchange(StringView name, Vnode& other_parent_vnode, StringView other_name)
{
    if (&other_parent_vnode.file_system() != &file_system())
        return Error::from_errno(EXDEV);
    if (!other_parent_vnode.is_directory())
        return Error::from_errno(ENOTDIR);
    auto& other_parent = static_cast<RamDirectory&>(other_parent_vnode);
    Timespec now = current_time();
    SpinlockGuard guard(ram_fs().tree_lock());
    RamDirEntry* first = find_locked(name);
    RamDirEntry* second = other_parent.find_locked(other_name);
    if (!first || !second)
        return Error::from_errno(ENOENT);
    if (first->node == second->node)
        return {};
    // Neither directory may end up below itself (Linux: EINVAL).
    if (first->node->is_directory() && other_parent.is_below_locked(static_cast<RamDirectory&>(*first->node)))
        return Error::from_errno(EINVAL);
    if (second->node->is_directory() && is_below_locked(static_cast<RamDirectory&>(*second->node)))
        return Error::from_errno(EINVAL);
    if (&other_parent != this) {
        if (first->node->is_directory()) {
            static_cast<RamDirectory&>(*first->node).m_parent = &other_parent;
            --m_link_count;
            ++other_parent.m_link_count;
        }
        if (second->node->is_directory()) {
            static_cast<RamDirectory&>(*second->node).m_parent = this;
            --other_parent.m_link_count;
            ++m_link_count;
        }
    }
    lib::swap(first->node, second->node);
    first->node->m_change_time = now;
    second->node->m_change_time = now;
    touch_modified_locked(now);
    other_parent.touch_modified_locked(now);
    return {};
}

} // namespace fs::ramfs
