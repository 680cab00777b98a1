// Vnode operations on ext4 inodes.
#include <fs/ext4/Directory.h>
#include <fs/ext4/Ext4FileSystem.h>
#include <fs/ext4/Ext4Vnode.h>
#include <fs/ext4/FileBlocks.h>

namespace ext4 {

namespace {

constexpr u16 MAX_LINKS = 65000;

// Directory link counts (Linux's dir_nlink rule): a hashed directory whose
// count would pass MAX_LINKS stores 1 instead ("too many to count") and the
// filesystem gets the dir_nlink feature; a count of 1 stays 1, and removing
// a subdirectory never takes a count below 2 (drop_subdirectory_link). A
// linear directory at MAX_LINKS takes no more subdirectories (EMLINK).
bool is_hashed(Ext4FileSystem& fs, const InodeRecord& directory)
{
    return directory.has_flag(inode_flag::INDEX) && fs.geometry().has_compat(compat::DIR_INDEX);
}

bool takes_subdirectory(Ext4FileSystem& fs, const InodeRecord& directory)
{
    return is_hashed(fs, directory) || directory.links() < MAX_LINKS;
}

void add_subdirectory_link(Ext4FileSystem& fs, InodeRecord& directory)
{
    if (directory.links() == 1)
        return;
    u32 links = directory.links() + 1u;
    if (is_hashed(fs, directory) && links > MAX_LINKS) {
        links = 1;
        fs.enable_ro_compat(ro_compat::DIR_NLINK);
    }
    directory.set_links(u16(links));
}

void drop_subdirectory_link(InodeRecord& directory)
{
    if (directory.links() > 2)
        directory.set_links(u16(directory.links() - 1));
}

// Device numbers in i_block: the old 8:8 encoding in i_block[0] when it
// fits, else Linux's new encoding in i_block[1].
void store_device_number(InodeRecord& inode, u64 rdev)
{
    u32 major = u32((rdev >> 8) & 0xFFF);
    u32 minor = u32((rdev & 0xFF) | ((rdev >> 12) & 0xFFF00));
    u8* area = inode.block_area();
    if (major < 256 && minor < 256) {
        store32(area, 0, (major << 8) | minor);
    } else {
        store32(area, 0, 0);
        store32(area, 4, (minor & 0xFF) | (major << 8) | ((minor & ~0xFFu) << 12));
    }
}

u64 load_device_number(const InodeRecord& inode)
{
    const u8* area = inode.block_area();
    u32 old = load32(area, 0);
    u32 major;
    u32 minor;
    if (old) {
        major = (old >> 8) & 0xFF;
        minor = old & 0xFF;
    } else {
        u32 encoded = load32(area, 4);
        major = (encoded & 0xFFF00) >> 8;
        minor = (encoded & 0xFF) | ((encoded >> 12) & 0xFFF00);
    }
    // Linux's dev_t as the VFS reports it (huge encoding).
    return (u64(minor) & 0xFF) | (u64(major & 0xFFF) << 8) | (u64(minor & ~0xFFu) << 12);
}

class DirectoryAdapter final : public directory::EntryVisitor {
public:
    explicit DirectoryAdapter(fs::DirectoryVisitor& visitor)
        : m_visitor(visitor)
    {
    }
    bool visit(const directory::Entry& entry) override
    {
        fs::DirectoryEntry out;
        out.name = entry.name;
        out.inode = entry.inode;
        out.type = directory::file_type_from(entry.file_type);
        out.next_cookie = entry.next_position;
        return m_visitor.visit(out);
    }

private:
    fs::DirectoryVisitor& m_visitor;
};

} // namespace

Ext4Vnode::Ext4Vnode(Ext4FileSystem& file_system, const InodeRecord& inode)
    : Vnode(file_system, inode.number, inode.type())
    , m_inode(inode)
{
}

Ext4FileSystem& Ext4Vnode::ext4() const
{
    return static_cast<Ext4FileSystem&>(file_system());
}

void Ext4Vnode::touch_changed()
{
    m_inode.set_time(in::CTIME, in::CTIME_EXTRA, fs::current_time());
}

void Ext4Vnode::touch_modified()
{
    fs::Timespec now = fs::current_time();
    m_inode.set_time(in::MTIME, in::MTIME_EXTRA, now);
    m_inode.set_time(in::CTIME, in::CTIME_EXTRA, now);
}

fs::Attributes Ext4Vnode::attributes() const
{
    Ext4FileSystem& fs = ext4();
    block::SleepLocker locker(fs.lock());
    fs::Attributes attributes;
    attributes.device = fs.device_id();
    attributes.inode = m_inode.number;
    attributes.mode = m_inode.mode();
    attributes.link_count = m_inode.links();
    attributes.uid = m_inode.uid();
    attributes.gid = m_inode.gid();
    fs::FileType type = m_inode.type();
    if (type == fs::FileType::CharacterDevice || type == fs::FileType::BlockDevice)
        attributes.rdev = load_device_number(m_inode);
    attributes.size = m_inode.size();
    u64 blocks = m_inode.raw_blocks();
    if (m_inode.has_flag(inode_flag::HUGE_FILE))
        blocks *= fs.geometry().block_size / 512;
    attributes.blocks = blocks;
    attributes.block_size = fs.geometry().block_size;
    attributes.access_time = m_inode.time(in::ATIME, in::ATIME_EXTRA);
    attributes.modify_time = m_inode.time(in::MTIME, in::MTIME_EXTRA);
    attributes.change_time = m_inode.time(in::CTIME, in::CTIME_EXTRA);
    return attributes;
}

ErrorOr<void> Ext4Vnode::set_attributes(const fs::AttributeChange& change)
{
    Ext4FileSystem& fs = ext4();
    block::SleepLocker locker(fs.lock());
    if (fs.is_read_only())
        return Error::from_errno(EROFS);
    if (change.set_mode)
        m_inode.set_mode(u16((m_inode.mode() & fs::mode::TypeMask) | (change.mode & fs::mode::PermissionMask)));
    if (change.set_uid)
        m_inode.set_uid(change.uid);
    if (change.set_gid)
        m_inode.set_gid(change.gid);
    if (change.set_access_time)
        m_inode.set_time(in::ATIME, in::ATIME_EXTRA, change.access_time);
    if (change.set_modify_time)
        m_inode.set_time(in::MTIME, in::MTIME_EXTRA, change.modify_time);
    if (!change.keep_change_time)
        touch_changed();
    return fs.write_inode(m_inode);
}

ErrorOr<NonnullRefPtr<fs::Vnode>> Ext4Vnode::lookup(StringView name)
{
    if (!is_directory())
        return Error::from_errno(ENOTDIR);
    Ext4FileSystem& fs = ext4();
    block::SleepLocker locker(fs.lock());
    fs.reap_unused_vnodes();
    if (m_inode.links() == 0)
        return Error::from_errno(ENOENT);
    u32 number;
    if (name == ".")
        number = m_inode.number;
    else if (name == "..")
        number = TRY(directory::parent_of(fs, m_inode));
    else
        number = TRY(directory::find(fs, m_inode, name));
    auto vnode = TRY(fs.vnode_for(number));
    return NonnullRefPtr<fs::Vnode>(lib::move(vnode));
}

ErrorOr<NonnullRefPtr<fs::Vnode>> Ext4Vnode::create_node(
    StringView name, u32 mode, u64 rdev, fs::NewOwner owner, StringView symlink_target)
{
    Ext4FileSystem& fs = ext4();
    if (fs.is_read_only())
        return Error::from_errno(EROFS);
    if (m_inode.links() == 0)
        return Error::from_errno(ENOENT);
    if (name.length() > fs::MAX_NAME_LENGTH)
        return Error::from_errno(ENAMETOOLONG);
    auto existing = directory::find(fs, m_inode, name);
    if (!existing.is_error())
        return Error::from_errno(EEXIST);
    if (existing.error().code() != ENOENT)
        return existing.release_error();

    fs::FileType type = fs::file_type_of(mode);
    bool is_directory = type == fs::FileType::Directory;
    if (is_directory && !takes_subdirectory(fs, m_inode))
        return Error::from_errno(EMLINK);
    u32 block_size = fs.geometry().block_size;
    if (type == fs::FileType::Symlink && symlink_target.length() >= block_size)
        return Error::from_errno(ENAMETOOLONG);
    // setgid directories pass their group (and, to directories, the bit) on.
    if (m_inode.mode() & fs::mode::SetGid) {
        owner.gid = m_inode.gid();
        if (is_directory)
            mode |= fs::mode::SetGid;
    }

    u32 number = TRY(fs.allocate_inode(m_inode.number, is_directory));
    InodeRecord inode;
    fs.initialize_inode(inode, number, u16(mode), owner);
    auto built = [&]() -> ErrorOr<void> {
        if (type == fs::FileType::CharacterDevice || type == fs::FileType::BlockDevice) {
            store_device_number(inode, rdev);
        } else if (type == fs::FileType::Symlink && symlink_target.length() < in::BLOCK_SIZE) {
            copy_bytes(
                inode.block_area(), reinterpret_cast<const u8*>(symlink_target.characters()), symlink_target.length());
            inode.set_size(symlink_target.length());
        } else if (type == fs::FileType::Regular || type == fs::FileType::Directory || type == fs::FileType::Symlink) {
            initialize_mapping(fs, inode);
        }
        if (type == fs::FileType::Symlink && symlink_target.length() >= in::BLOCK_SIZE) {
            u64 physical = TRY(allocate_file_block(fs, inode, 0, 0));
            auto handle = TRY(fs.overwrite_block(physical));
            copy_bytes(
                handle.data(), reinterpret_cast<const u8*>(symlink_target.characters()), symlink_target.length());
            inode.set_size(symlink_target.length());
        }
        if (is_directory) {
            TRY(directory::initialize(fs, inode, m_inode.number));
            inode.set_links(2);
        } else {
            inode.set_links(1);
        }
        TRY(fs.write_inode(inode));
        TRY(directory::add(fs, m_inode, name, number, type));
        return {};
    }();
    if (built.is_error()) {
        // Undo: free what the new inode got and the inode itself.
        (void)truncate_blocks(fs, inode, 0);
        inode.set_links(0);
        (void)fs.write_inode(inode);
        (void)fs.free_inode(number, is_directory);
        return built.release_error();
    }
    if (is_directory)
        add_subdirectory_link(fs, m_inode);
    touch_modified();
    TRY(fs.write_inode(m_inode));
    auto vnode = TRY(fs.vnode_for_new(inode));
    return NonnullRefPtr<fs::Vnode>(lib::move(vnode));
}

ErrorOr<NonnullRefPtr<fs::Vnode>> Ext4Vnode::create(StringView name, u32 mode, u64 rdev, fs::NewOwner owner)
{
    if (!is_directory())
        return Error::from_errno(ENOTDIR);
    if ((mode & fs::mode::TypeMask) == 0)
        mode |= fs::mode::Regular;
    fs::FileType type = fs::file_type_of(mode);
    if (type == fs::FileType::Directory || type == fs::FileType::Symlink || type == fs::FileType::Unknown)
        return Error::from_errno(EINVAL);
    Ext4FileSystem& fs = ext4();
    block::SleepLocker locker(fs.lock());
    fs.reap_unused_vnodes();
    return create_node(name, mode, rdev, owner, {});
}

ErrorOr<NonnullRefPtr<fs::Vnode>> Ext4Vnode::make_directory(StringView name, u32 mode, fs::NewOwner owner)
{
    if (!is_directory())
        return Error::from_errno(ENOTDIR);
    Ext4FileSystem& fs = ext4();
    block::SleepLocker locker(fs.lock());
    fs.reap_unused_vnodes();
    return create_node(name, fs::mode::Directory | (mode & fs::mode::PermissionMask), 0, owner, {});
}

ErrorOr<NonnullRefPtr<fs::Vnode>> Ext4Vnode::make_symlink(StringView name, StringView target, fs::NewOwner owner)
{
    if (!is_directory())
        return Error::from_errno(ENOTDIR);
    if (target.length() == 0)
        return Error::from_errno(ENOENT);
    Ext4FileSystem& fs = ext4();
    block::SleepLocker locker(fs.lock());
    fs.reap_unused_vnodes();
    return create_node(name, fs::mode::Symlink | 0777, 0, owner, target);
}

ErrorOr<void> Ext4Vnode::link(StringView name, fs::Vnode& target_vnode)
{
    if (!is_directory())
        return Error::from_errno(ENOTDIR);
    if (&target_vnode.file_system() != &file_system())
        return Error::from_errno(EXDEV);
    if (target_vnode.is_directory())
        return Error::from_errno(EPERM);
    auto& target = static_cast<Ext4Vnode&>(target_vnode);
    Ext4FileSystem& fs = ext4();
    block::SleepLocker locker(fs.lock());
    fs.reap_unused_vnodes();
    if (fs.is_read_only())
        return Error::from_errno(EROFS);
    if (m_inode.links() == 0 || target.m_inode.links() == 0)
        return Error::from_errno(ENOENT);
    if (target.m_inode.links() >= MAX_LINKS)
        return Error::from_errno(EMLINK);
    auto existing = directory::find(fs, m_inode, name);
    if (!existing.is_error())
        return Error::from_errno(EEXIST);
    if (existing.error().code() != ENOENT)
        return existing.release_error();
    TRY(directory::add(fs, m_inode, name, target.m_inode.number, target.type()));
    target.m_inode.set_links(u16(target.m_inode.links() + 1));
    target.touch_changed();
    TRY(fs.write_inode(target.m_inode));
    touch_modified();
    return fs.write_inode(m_inode);
}

ErrorOr<void> Ext4Vnode::unlink(StringView name)
{
    if (!is_directory())
        return Error::from_errno(ENOTDIR);
    Ext4FileSystem& fs = ext4();
    block::SleepLocker locker(fs.lock());
    fs.reap_unused_vnodes();
    if (fs.is_read_only())
        return Error::from_errno(EROFS);
    u32 number = TRY(directory::find(fs, m_inode, name));
    auto victim = TRY(fs.vnode_for(number));
    if (victim->is_directory())
        return Error::from_errno(EISDIR);
    TRY(directory::remove(fs, m_inode, name));
    InodeRecord& inode = victim->inode();
    inode.set_links(u16(inode.links() ? inode.links() - 1 : 0));
    if (inode.links() == 0)
        fs.note_unlinked(inode.number);
    victim->touch_changed();
    TRY(fs.write_inode(inode));
    touch_modified();
    return fs.write_inode(m_inode);
}

ErrorOr<void> Ext4Vnode::remove_directory(StringView name)
{
    if (!is_directory())
        return Error::from_errno(ENOTDIR);
    Ext4FileSystem& fs = ext4();
    block::SleepLocker locker(fs.lock());
    fs.reap_unused_vnodes();
    if (fs.is_read_only())
        return Error::from_errno(EROFS);
    u32 number = TRY(directory::find(fs, m_inode, name));
    auto victim = TRY(fs.vnode_for(number));
    if (!victim->is_directory())
        return Error::from_errno(ENOTDIR);
    if (!TRY(directory::is_empty(fs, victim->inode())))
        return Error::from_errno(ENOTEMPTY);
    TRY(directory::remove(fs, m_inode, name));
    victim->inode().set_links(0);
    fs.note_unlinked(victim->inode().number);
    victim->touch_changed();
    TRY(fs.write_inode(victim->inode()));
    drop_subdirectory_link(m_inode);
    touch_modified();
    return fs.write_inode(m_inode);
}

ErrorOr<void> Ext4Vnode::check_not_ancestor(u32 moved_directory)
{
    // Walk from here up to the root; meeting the moved directory means the
    // move would put it inside itself.
    Ext4FileSystem& fs = ext4();
    u32 current = m_inode.number;
    InodeRecord record;
    for (u32 steps = 0; steps < 65536; ++steps) {
        if (current == moved_directory)
            return Error::from_errno(EINVAL);
        if (current == ROOT_INODE)
            return {};
        TRY(fs.read_inode(current, record));
        if (!record.is_directory())
            return Error::from_errno(EUCLEAN);
        current = TRY(directory::parent_of(fs, record));
    }
    return Error::from_errno(EUCLEAN);
}

ErrorOr<void> Ext4Vnode::rename_locked(
    StringView old_name, Ext4Vnode& new_parent, StringView new_name, fs::RenameMode mode)
{
    Ext4FileSystem& fs = ext4();
    if (fs.is_read_only())
        return Error::from_errno(EROFS);
    if (m_inode.links() == 0 || new_parent.m_inode.links() == 0)
        return Error::from_errno(ENOENT);
    u32 source_number = TRY(directory::find(fs, m_inode, old_name));
    auto source = TRY(fs.vnode_for(source_number));
    bool moving_directory = source->is_directory();
    bool across = &new_parent != this;
    if (moving_directory && across)
        TRY(new_parent.check_not_ancestor(source_number));

    RefPtr<Ext4Vnode> target;
    auto target_number = directory::find(fs, new_parent.m_inode, new_name);
    if (!target_number.is_error()) {
        if (mode == fs::RenameMode::NoReplace)
            return Error::from_errno(EEXIST);
        if (target_number.value() == source_number)
            return {}; // two names of one file: nothing to do
        target = TRY(fs.vnode_for(target_number.value()));
        if (moving_directory && !target->is_directory())
            return Error::from_errno(ENOTDIR);
        if (!moving_directory && target->is_directory())
            return Error::from_errno(EISDIR);
        if (target->is_directory() && !TRY(directory::is_empty(fs, target->inode())))
            return Error::from_errno(ENOTEMPTY);
    } else if (target_number.error().code() != ENOENT) {
        return target_number.release_error();
    } else if (moving_directory && across && !takes_subdirectory(fs, new_parent.m_inode)) {
        return Error::from_errno(EMLINK);
    }

    if (target)
        TRY(directory::retarget(fs, new_parent.m_inode, new_name, source_number, source->type()));
    else
        TRY(directory::add(fs, new_parent.m_inode, new_name, source_number, source->type()));
    TRY(directory::remove(fs, m_inode, old_name));

    if (target) {
        InodeRecord& replaced = target->inode();
        if (target->is_directory()) {
            replaced.set_links(0);
            // The replaced directory's ".." no longer counts.
            drop_subdirectory_link(new_parent.m_inode);
        } else {
            replaced.set_links(u16(replaced.links() ? replaced.links() - 1 : 0));
        }
        if (replaced.links() == 0)
            fs.note_unlinked(replaced.number);
        target->touch_changed();
        TRY(fs.write_inode(replaced));
    }
    if (moving_directory && across) {
        TRY(directory::set_parent(fs, source->inode(), new_parent.m_inode.number));
        drop_subdirectory_link(m_inode);
        add_subdirectory_link(fs, new_parent.m_inode);
    }
    source->touch_changed();
    TRY(fs.write_inode(source->inode()));
    touch_modified();
    TRY(fs.write_inode(m_inode));
    if (across) {
        new_parent.touch_modified();
        TRY(fs.write_inode(new_parent.m_inode));
    }
    return {};
}

ErrorOr<void> Ext4Vnode::rename(StringView old_name, fs::Vnode& new_parent, StringView new_name, fs::RenameMode mode)
{
    if (!is_directory() || !new_parent.is_directory())
        return Error::from_errno(ENOTDIR);
    if (&new_parent.file_system() != &file_system())
        return Error::from_errno(EXDEV);
    Ext4FileSystem& fs = ext4();
    block::SleepLocker locker(fs.lock());
    fs.reap_unused_vnodes();
    return rename_locked(old_name, static_cast<Ext4Vnode&>(new_parent), new_name, mode);
}

ErrorOr<u64> Ext4Vnode::read_directory(u64 cookie, fs::DirectoryVisitor& visitor)
{
    if (!is_directory())
        return Error::from_errno(ENOTDIR);
    Ext4FileSystem& fs = ext4();
    block::SleepLocker locker(fs.lock());
    if (m_inode.links() == 0)
        return cookie;
    DirectoryAdapter adapter(visitor);
    return directory::iterate(fs, m_inode, cookie, adapter);
}

ErrorOr<usize> Ext4Vnode::read_locked(u64 offset, Bytes buffer)
{
    Ext4FileSystem& fs = ext4();
    u32 block_size = fs.geometry().block_size;
    u64 size = m_inode.size();
    if (offset >= size || buffer.is_empty())
        return 0;
    usize total = usize(min<u64>(buffer.size(), size - offset));
    usize done = 0;
    while (done < total) {
        u64 position = offset + done;
        u64 logical = position / block_size;
        u32 within = u32(position % block_size);
        usize chunk = min<usize>(block_size - within, total - done);
        MappedBlock mapped = TRY(map_block(fs, m_inode, logical));
        if (!mapped.physical || mapped.unwritten) {
            fill_bytes(buffer.data() + done, 0, chunk);
        } else {
            auto handle = TRY(fs.read_block(mapped.physical));
            copy_bytes(buffer.data() + done, handle.data() + within, chunk);
        }
        done += chunk;
    }
    return done;
}

ErrorOr<usize> Ext4Vnode::read(u64 offset, Bytes buffer)
{
    if (is_directory())
        return Error::from_errno(EISDIR);
    if (!is_regular())
        return Error::from_errno(EINVAL);
    Ext4FileSystem& fs = ext4();
    block::SleepLocker locker(fs.lock());
    return read_locked(offset, buffer);
}

ErrorOr<fs::WriteResult> Ext4Vnode::write_locked(u64 offset, ReadonlyBytes data, fs::WriteMode mode)
{
    Ext4FileSystem& fs = ext4();
    if (fs.is_read_only())
        return Error::from_errno(EROFS);
    u32 block_size = fs.geometry().block_size;
    if (mode == fs::WriteMode::Append)
        offset = m_inode.size();
    u64 limit = logical_block_limit(fs, m_inode) * block_size;
    if (offset >= limit && !data.is_empty())
        return Error::from_errno(EFBIG);
    usize total = usize(min<u64>(data.size(), limit - offset));
    usize done = 0;
    u64 previous_physical = 0;
    ErrorOr<void> failure {};
    while (done < total) {
        u64 position = offset + done;
        u64 logical = position / block_size;
        u32 within = u32(position % block_size);
        usize chunk = min<usize>(block_size - within, total - done);
        auto mapped = map_block(fs, m_inode, logical);
        if (mapped.is_error()) {
            failure = mapped.release_error();
            break;
        }
        block::BlockHandle handle;
        if (!mapped.value().physical) {
            u64 goal = previous_physical ? previous_physical + 1 : 0;
            if (!goal && logical > 0) {
                auto before = map_block(fs, m_inode, logical - 1);
                if (!before.is_error() && before.value().physical)
                    goal = before.value().physical + 1;
            }
            if (!goal)
                goal = fs.geometry().group_first_block(fs.group_of_inode(m_inode.number));
            auto physical = allocate_file_block(fs, m_inode, logical, goal);
            if (physical.is_error()) {
                failure = physical.release_error();
                break;
            }
            previous_physical = physical.value();
            auto fresh = fs.overwrite_block(previous_physical);
            if (fresh.is_error()) {
                failure = fresh.release_error();
                break;
            }
            handle = fresh.release_value();
        } else {
            if (mapped.value().unwritten) {
                if (auto converted = convert_unwritten(fs, m_inode, logical); converted.is_error()) {
                    failure = converted;
                    break;
                }
            }
            previous_physical = mapped.value().physical;
            auto existing
                = chunk == block_size ? fs.overwrite_block(previous_physical) : fs.read_block(previous_physical);
            if (existing.is_error()) {
                failure = existing.release_error();
                break;
            }
            handle = existing.release_value();
        }
        copy_bytes(handle.data() + within, data.data() + done, chunk);
        handle.mark_dirty();
        done += chunk;
    }
    if (done == 0 && failure.is_error()) {
        (void)fs.write_inode(m_inode); // the mapping may have changed
        return failure.release_error();
    }
    if (offset + done > m_inode.size())
        m_inode.set_size(offset + done);
    if (done)
        touch_modified();
    TRY(fs.write_inode(m_inode));
    return fs::WriteResult { done, offset + done };
}

ErrorOr<fs::WriteResult> Ext4Vnode::write(u64 offset, ReadonlyBytes data, fs::WriteMode mode)
{
    if (is_directory())
        return Error::from_errno(EISDIR);
    if (!is_regular())
        return Error::from_errno(EINVAL);
    Ext4FileSystem& fs = ext4();
    block::SleepLocker locker(fs.lock());
    return write_locked(offset, data, mode);
}

ErrorOr<void> Ext4Vnode::truncate_locked(u64 size)
{
    Ext4FileSystem& fs = ext4();
    if (fs.is_read_only())
        return Error::from_errno(EROFS);
    u32 block_size = fs.geometry().block_size;
    if (size > logical_block_limit(fs, m_inode) * block_size)
        return Error::from_errno(EFBIG);
    u64 old_size = m_inode.size();
    if (size < old_size) {
        TRY(truncate_blocks(fs, m_inode, (size + block_size - 1) / block_size));
        // Zero the rest of the last block, so growing the file again reads zeros.
        if (size % block_size) {
            MappedBlock mapped = TRY(map_block(fs, m_inode, size / block_size));
            if (mapped.physical && !mapped.unwritten) {
                auto handle = TRY(fs.read_block(mapped.physical));
                u32 within = u32(size % block_size);
                fill_bytes(handle.data() + within, 0, block_size - within);
                handle.mark_dirty();
            }
        }
    }
    m_inode.set_size(size);
    touch_modified();
    return fs.write_inode(m_inode);
}

ErrorOr<void> Ext4Vnode::truncate(u64 size)
{
    if (is_directory())
        return Error::from_errno(EISDIR);
    if (!is_regular())
        return Error::from_errno(EINVAL);
    Ext4FileSystem& fs = ext4();
    block::SleepLocker locker(fs.lock());
    return truncate_locked(size);
}

ErrorOr<void> Ext4Vnode::sync(bool)
{
    return ext4().sync();
}

ErrorOr<usize> Ext4Vnode::read_link(Bytes buffer)
{
    if (!is_symlink())
        return Error::from_errno(EINVAL);
    Ext4FileSystem& fs = ext4();
    block::SleepLocker locker(fs.lock());
    u64 size = m_inode.size();
    if (size >= fs.geometry().block_size)
        return Error::from_errno(EUCLEAN);
    usize count = usize(min<u64>(size, buffer.size()));
    if (!has_mapped_blocks(m_inode)) {
        copy_bytes(buffer.data(), m_inode.block_area(), count);
        return count;
    }
    MappedBlock mapped = TRY(map_block(fs, m_inode, 0));
    if (!mapped.physical)
        return Error::from_errno(EUCLEAN);
    auto handle = TRY(fs.read_block(mapped.physical));
    copy_bytes(buffer.data(), handle.data(), count);
    return count;
}

} // namespace ext4
