// Unpacking the initramfs; see Initramfs.h for what is made and how errors count.
#include <fs/cpio/Newc.h>
#include <fs/ramfs/Initramfs.h>
#include <fs/ramfs/RamDirectory.h>
#include <fs/vfs/Vfs.h>
#include <kernel/lib/Vector.h>
#include <kernel/log/Log.h>

namespace fs::ramfs {

namespace {

constexpr NewOwner ROOT_OWNER { 0, 0 };
constexpr u32 DEFAULT_DIRECTORY_MODE = 0755;

struct HardLinkGroup {
    u32 inode;
    u32 dev_major;
    u32 dev_minor;
    RefPtr<Vnode> vnode;
};

// Linux's new_encode_dev (include/linux/kdev_t.h), the st_rdev encoding.
u64 encode_device(u32 major, u32 minor)
{
    return (minor & 0xffu) | (u64(major & 0xfffu) << 8) | (u64(minor & ~0xffu) << 12) | (u64(major & ~0xfffu) << 32);
}

// The directory that will hold `path`'s last component, made as needed, and
// that component in `leaf` (empty when the path names the root itself).
ErrorOr<NonnullRefPtr<Vnode>> parent_directory(Vnode& root, StringView path, StringView& leaf)
{
    NonnullRefPtr<Vnode> directory(root);
    leaf = {};
    usize position = 0;
    while (position < path.length()) {
        usize end = path.find('/', position);
        if (end == StringView::npos)
            end = path.length();
        StringView component = path.substring(position, end - position);
        position = end + 1;
        if (component.is_empty() || component == ".")
            continue;
        if (component == "..")
            return Error::from_errno(EINVAL);
        if (component.length() > MAX_NAME_LENGTH)
            return Error::from_errno(ENAMETOOLONG);
        if (!leaf.is_empty()) {
            // The previous component was not the last: descend into it.
            RefPtr<Vnode> child;
            auto next = directory->lookup(leaf);
            if (next.is_error() && next.error().code() == ENOENT)
                child = TRY(directory->make_directory(leaf, DEFAULT_DIRECTORY_MODE, ROOT_OWNER));
            else
                child = TRY(lib::move(next));
            if (!child->is_directory())
                return Error::from_errno(ENOTDIR);
            directory = child.release_nonnull();
        }
        leaf = component;
    }
    return directory;
}

ErrorOr<void> apply_attributes(Vnode& vnode, const cpio::Entry& entry)
{
    AttributeChange change;
    change.set_mode = true;
    change.mode = entry.mode & mode::PermissionMask;
    change.set_uid = true;
    change.uid = entry.uid;
    change.set_gid = true;
    change.gid = entry.gid;
    change.set_modify_time = true;
    change.modify_time = { entry.mtime, 0 };
    change.set_access_time = true;
    change.access_time = { entry.mtime, 0 };
    return vnode.set_attributes(change);
}

ErrorOr<void> write_all(Vnode& file, ReadonlyBytes data, UnpackStats& stats)
{
    u64 offset = 0;
    while (offset < data.size()) {
        auto result = TRY(file.write(offset, data.slice(offset), WriteMode::AtOffset));
        if (result.written == 0)
            return Error::from_errno(EIO);
        offset += result.written;
    }
    TRY(file.truncate(data.size())); // a hard-link group's data replaces, never extends
    stats.bytes += data.size();
    return {};
}

// Makes room for a new non-directory `leaf`: an old non-directory of that
// name goes (as Linux's initramfs does); a directory stays and is an error.
ErrorOr<void> clear_name(Vnode& directory, StringView leaf)
{
    auto existing = directory.lookup(leaf);
    if (existing.is_error())
        return {};
    if (existing.value()->is_directory())
        return Error::from_errno(EEXIST);
    return directory.unlink(leaf);
}

ErrorOr<void> unpack_entry(
    RamFileSystem& file_system, const cpio::Entry& entry, Vector<HardLinkGroup>& groups, UnpackStats& stats)
{
    StringView leaf;
    auto directory = TRY(parent_directory(*file_system.root(), entry.name, leaf));
    FileType type = file_type_of(entry.mode);
    u32 permissions = entry.mode & mode::PermissionMask;

    if (leaf.is_empty()) {
        // "." or "/": the root's own attributes.
        if (type != FileType::Directory)
            return Error::from_errno(EINVAL);
        return apply_attributes(*directory, entry);
    }

    switch (type) {
    case FileType::Directory: {
        auto existing = directory->lookup(leaf);
        RefPtr<Vnode> made;
        if (!existing.is_error()) {
            if (!existing.value()->is_directory())
                return Error::from_errno(EEXIST);
            made = existing.release_value();
        } else {
            made = TRY(directory->make_directory(leaf, permissions, ROOT_OWNER));
            ++stats.directories;
        }
        return apply_attributes(*made, entry);
    }
    case FileType::Regular: {
        TRY(clear_name(*directory, leaf));
        if (entry.link_count > 1) {
            for (auto& group : groups) {
                if (group.inode == entry.inode && group.dev_major == entry.dev_major
                    && group.dev_minor == entry.dev_minor) {
                    TRY(directory->link(leaf, *group.vnode));
                    ++stats.hard_links;
                    if (!entry.data.is_empty())
                        TRY(write_all(*group.vnode, entry.data, stats));
                    return apply_attributes(*group.vnode, entry);
                }
            }
        }
        auto file = TRY(directory->create(leaf, mode::Regular | permissions, 0, ROOT_OWNER));
        ++stats.files;
        TRY(write_all(*file, entry.data, stats));
        if (entry.link_count > 1)
            TRY(groups.try_append({ entry.inode, entry.dev_major, entry.dev_minor, file }));
        return apply_attributes(*file, entry);
    }
    case FileType::Symlink: {
        TRY(clear_name(*directory, leaf));
        StringView target(reinterpret_cast<const char*>(entry.data.data()), entry.data.size());
        if (target.contains('\0'))
            return Error::from_errno(EINVAL);
        auto link = TRY(directory->make_symlink(leaf, target, ROOT_OWNER));
        ++stats.symlinks;
        AttributeChange change;
        change.set_uid = true;
        change.uid = entry.uid;
        change.set_gid = true;
        change.gid = entry.gid;
        change.set_modify_time = true;
        change.modify_time = { entry.mtime, 0 };
        return link->set_attributes(change);
    }
    case FileType::CharacterDevice:
    case FileType::BlockDevice:
    case FileType::Fifo:
    case FileType::Socket: {
        TRY(clear_name(*directory, leaf));
        u64 rdev = encode_device(entry.rdev_major, entry.rdev_minor);
        auto node
            = TRY(directory->create(leaf, entry.mode & (mode::TypeMask | mode::PermissionMask), rdev, ROOT_OWNER));
        ++stats.special;
        return apply_attributes(*node, entry);
    }
    case FileType::Unknown:
        break;
    }
    return Error::from_errno(EINVAL);
}

} // namespace

UnpackStats unpack_cpio(ReadonlyBytes archive, RamFileSystem& file_system)
{
    UnpackStats stats;
    Vector<HardLinkGroup> groups;
    cpio::NewcReader reader(archive);
    for (;;) {
        cpio::Entry entry;
        auto more = reader.next(entry);
        if (more.is_error()) {
            stats.archive_malformed = true;
            ++stats.errors;
            break;
        }
        if (!more.value())
            break;
        if (unpack_entry(file_system, entry, groups, stats).is_error())
            ++stats.errors;
    }
    return stats;
}

} // namespace fs::ramfs

namespace fs {

ErrorOr<ramfs::UnpackStats> mount_initramfs_root(ReadonlyBytes archive)
{
    init_vfs();
    auto file_system = TRY(ramfs::RamFileSystem::try_create());
    ramfs::UnpackStats stats;
    if (!archive.is_empty())
        stats = ramfs::unpack_cpio(archive, *file_system);
    TRY(vfs().mount_root(file_system));
    klog::info("initramfs: {} bytes: {} files, {} directories, {} symlinks, {} hard links, {} special, {} data bytes",
        archive.size(), stats.files, stats.directories, stats.symlinks, stats.hard_links, stats.special, stats.bytes);
    if (stats.errors)
        klog::warn("initramfs: {} entries could not be unpacked{}", stats.errors,
            stats.archive_malformed ? " (the archive is malformed)" : "");
    return stats;
}

} // namespace fs
