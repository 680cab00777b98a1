// The namespace operations of the VFS: what open, mkdir, unlink, rename...
// do between the path walk and the filesystem. Errors and their order follow
// Linux (fs/namei.c, fs/open.c): a missing entry is found before a
// permission problem on its directory, and a permission problem before a
// type mismatch. See Vfs.h for the overall design.
#include <fs/vfs/FileData.h>
#include <fs/vfs/Permissions.h>
#include <fs/vfs/Vfs.h>
#include <kernel/lib/Allocator.h>

namespace fs {

namespace {

// A lazily allocated MAX_PATH_LENGTH buffer for a symlink target.
class LinkBuffer {
public:
    LinkBuffer() = default;
    ~LinkBuffer() { lib::deallocate(m_data); }
    LinkBuffer(const LinkBuffer&) = delete;
    LinkBuffer& operator=(const LinkBuffer&) = delete;

    ErrorOr<StringView> read_target(Vnode& link)
    {
        if (!m_data) {
            m_data = static_cast<char*>(lib::allocate(MAX_PATH_LENGTH, 1));
            if (!m_data)
                return Error::from_errno(ENOMEM);
        }
        usize length = TRY(link.read_link({ reinterpret_cast<u8*>(m_data), MAX_PATH_LENGTH }));
        if (length == 0)
            return Error::from_errno(ENOENT);
        if (length >= MAX_PATH_LENGTH)
            return Error::from_errno(ENAMETOOLONG);
        return StringView(m_data, length);
    }

private:
    char* m_data { nullptr };
};

NewOwner owner_of(const Context& context)
{
    return { context.credentials.uid, context.credentials.gid };
}

bool is_all_slashes(StringView path)
{
    for (char c : path) {
        if (c != '/')
            return false;
    }
    return !path.is_empty();
}

} // namespace

ErrorOr<void> Vfs::check_writable_directory(const Context& context, const Location& directory) const
{
    if (!directory.vnode->is_directory())
        return Error::from_errno(ENOTDIR);
    return fs::check_access(directory.vnode->attributes(), context.credentials, access::Write | access::Execute);
}

ErrorOr<NonnullRefPtr<OpenFile>> Vfs::open(
    const Context& context, const Location& base, StringView path, u32 flags, u32 mode)
{
    u32 access_mode = flags & open_flag::AccessMask;
    if (access_mode == open_flag::AccessMask)
        return Error::from_errno(EINVAL);
    if (flags & open_flag::Path)
        return Error::from_errno(EINVAL); // O_PATH descriptions are not supported yet

    Location target;
    bool created = false;
    if (flags & open_flag::Create) {
        LinkBuffer link_buffer;
        Location start = base;
        StringView remaining = path;
        u32 hops = 0;
        for (;;) {
            auto where = TRY(resolve_parent(context, start, remaining));
            if (where.kind != ParentAndName::Kind::Normal || where.trailing_slash)
                return Error::from_errno(EISDIR);
            auto existing = where.parent.vnode->lookup(where.name());
            if (existing.is_error()) {
                if (existing.error().code() != ENOENT)
                    return existing.release_error();
                TRY(check_writable_directory(context, where.parent));
                auto made = where.parent.vnode->create(
                    where.name(), (mode & mode::PermissionMask) | mode::Regular, 0, owner_of(context));
                if (made.is_error()) {
                    // Lost a race with another creator: look again (bounded by the hop count).
                    if (made.error().code() == EEXIST && !(flags & open_flag::Exclusive) && ++hops <= MAX_SYMLINK_HOPS)
                        continue;
                    return made.release_error();
                }
                target = { where.parent.mount, made.release_value() };
                created = true;
                break;
            }
            if (flags & open_flag::Exclusive)
                return Error::from_errno(EEXIST);
            Location child = cross_mounts({ where.parent.mount, existing.release_value() });
            if (!child.vnode->is_symlink()) {
                target = lib::move(child);
                break;
            }
            if ((flags & open_flag::NoFollow) || ++hops > MAX_SYMLINK_HOPS)
                return Error::from_errno(ELOOP);
            remaining = TRY(link_buffer.read_target(*child.vnode));
            start = lib::move(where.parent);
        }
    } else {
        target = TRY(resolve(context, base, path, (flags & open_flag::NoFollow) ? FollowFinal::No : FollowFinal::Yes));
        if (target.vnode->is_symlink())
            return Error::from_errno(ELOOP);
    }

    bool is_directory = target.vnode->is_directory();
    if ((flags & open_flag::Directory) && !is_directory)
        return Error::from_errno(ENOTDIR);
    // O_NOATIME is for the owner (Linux: or CAP_FOWNER): EPERM otherwise.
    if ((flags & open_flag::NoAtime) && !context.credentials.is_root()
        && target.vnode->attributes().uid != context.credentials.uid)
        return Error::from_errno(EPERM);
    if (is_directory && (access_mode != open_flag::ReadOnly || (flags & open_flag::Truncate)))
        return Error::from_errno(EISDIR);
    if (!created) {
        u32 wanted = 0;
        if (access_mode != open_flag::WriteOnly)
            wanted |= access::Read;
        if (access_mode != open_flag::ReadOnly || (flags & open_flag::Truncate))
            wanted |= access::Write;
        TRY(fs::check_access(target.vnode->attributes(), context.credentials, wanted));
        if ((flags & open_flag::Truncate) && target.vnode->is_regular())
            TRY(truncate_data(*target.vnode, 0));
    }
    NonnullRefPtr<Vnode> vnode = *target.vnode;
    return vnode->open_file(lib::move(target), flags);
}

ErrorOr<void> Vfs::make_directory(const Context& context, const Location& base, StringView path, u32 mode)
{
    auto where = TRY(resolve_parent(context, base, path));
    if (where.kind != ParentAndName::Kind::Normal)
        return Error::from_errno(EEXIST);
    if (!where.parent.vnode->lookup(where.name()).is_error())
        return Error::from_errno(EEXIST);
    TRY(check_writable_directory(context, where.parent));
    (void)TRY(where.parent.vnode->make_directory(where.name(), mode & (0777 | mode::Sticky), owner_of(context)));
    return {};
}

ErrorOr<void> Vfs::make_node(const Context& context, const Location& base, StringView path, u32 mode, u64 rdev)
{
    u32 type = mode & mode::TypeMask;
    if (type == 0)
        mode |= mode::Regular;
    else if (type == mode::Directory)
        return Error::from_errno(EPERM);
    else if (file_type_of(mode) == FileType::Unknown || type == mode::Symlink)
        return Error::from_errno(EINVAL);
    auto where = TRY(resolve_parent(context, base, path));
    if (where.kind != ParentAndName::Kind::Normal)
        return Error::from_errno(EEXIST);
    if (where.trailing_slash)
        return Error::from_errno(ENOENT);
    if (!where.parent.vnode->lookup(where.name()).is_error())
        return Error::from_errno(EEXIST);
    TRY(check_writable_directory(context, where.parent));
    (void)TRY(where.parent.vnode->create(where.name(), mode, rdev, owner_of(context)));
    return {};
}

ErrorOr<void> Vfs::unlink(const Context& context, const Location& base, StringView path)
{
    auto where = TRY(resolve_parent(context, base, path));
    if (where.kind != ParentAndName::Kind::Normal)
        return Error::from_errno(EISDIR);
    auto victim = TRY(where.parent.vnode->lookup(where.name()));
    if (where.trailing_slash)
        return Error::from_errno(victim->is_directory() ? EISDIR : ENOTDIR);
    TRY(check_writable_directory(context, where.parent));
    TRY(check_sticky(where.parent.vnode->attributes(), victim->attributes(), context.credentials));
    if (victim->is_directory())
        return Error::from_errno(EISDIR);
    if (m_mounts.is_covered(*victim))
        return Error::from_errno(EBUSY);
    auto result = where.parent.vnode->unlink(where.name());
    m_names.forget(*where.parent.vnode, where.name());
    return result;
}

ErrorOr<void> Vfs::remove_directory(const Context& context, const Location& base, StringView path)
{
    auto where = TRY(resolve_parent(context, base, path));
    if (where.kind == ParentAndName::Kind::Dot)
        return Error::from_errno(is_all_slashes(path) ? EBUSY : EINVAL);
    if (where.kind == ParentAndName::Kind::DotDot)
        return Error::from_errno(ENOTEMPTY);
    auto victim = TRY(where.parent.vnode->lookup(where.name()));
    TRY(check_writable_directory(context, where.parent));
    TRY(check_sticky(where.parent.vnode->attributes(), victim->attributes(), context.credentials));
    if (!victim->is_directory())
        return Error::from_errno(ENOTDIR);
    if (m_mounts.is_covered(*victim))
        return Error::from_errno(EBUSY);
    auto result = where.parent.vnode->remove_directory(where.name());
    m_names.forget(*where.parent.vnode, where.name());
    return result;
}

ErrorOr<void> Vfs::rename(const Context& context, const Location& old_base, StringView old_path,
    const Location& new_base, StringView new_path, u32 flags)
{
    if (flags & ~(rename_flag::NoReplace | rename_flag::Exchange))
        return Error::from_errno(EINVAL);
    if ((flags & rename_flag::NoReplace) && (flags & rename_flag::Exchange))
        return Error::from_errno(EINVAL);
    auto from = TRY(resolve_parent(context, old_base, old_path));
    auto to = TRY(resolve_parent(context, new_base, new_path));
    if (from.kind != ParentAndName::Kind::Normal || to.kind != ParentAndName::Kind::Normal)
        return Error::from_errno((flags & rename_flag::NoReplace) ? EEXIST : EBUSY);
    if (from.parent.mount != to.parent.mount)
        return Error::from_errno(EXDEV);
    auto source = TRY(from.parent.vnode->lookup(from.name()));
    auto existing = to.parent.vnode->lookup(to.name());
    if (existing.is_error() && (existing.error().code() != ENOENT || (flags & rename_flag::Exchange)))
        return existing.release_error();
    if (!existing.is_error() && (flags & rename_flag::NoReplace))
        return Error::from_errno(EEXIST);
    if (flags & rename_flag::Exchange) {
        if ((from.trailing_slash && !source->is_directory())
            || (to.trailing_slash && !existing.value()->is_directory()))
            return Error::from_errno(ENOTDIR);
    } else if ((from.trailing_slash || to.trailing_slash) && !source->is_directory()) {
        return Error::from_errno(ENOTDIR);
    }
    TRY(check_writable_directory(context, from.parent));
    TRY(check_writable_directory(context, to.parent));
    TRY(check_sticky(from.parent.vnode->attributes(), source->attributes(), context.credentials));
    if (!existing.is_error()) {
        auto& target = *existing.value();
        if (&target == source.ptr())
            return {}; // two names of one file: rename does nothing (POSIX)
        TRY(check_sticky(to.parent.vnode->attributes(), target.attributes(), context.credentials));
        if (m_mounts.is_covered(target))
            return Error::from_errno(EBUSY);
    }
    if (m_mounts.is_covered(*source))
        return Error::from_errno(EBUSY);
    // Moving a directory to another parent rewrites its "..": Linux asks for
    // write permission on the directory itself.
    if (from.parent.vnode != to.parent.vnode) {
        if (source->is_directory())
            TRY(fs::check_access(source->attributes(), context.credentials, access::Write));
        if ((flags & rename_flag::Exchange) && existing.value()->is_directory())
            TRY(fs::check_access(existing.value()->attributes(), context.credentials, access::Write));
    }
    auto result = (flags & rename_flag::Exchange)
        ? from.parent.vnode->exchange(from.name(), *to.parent.vnode, to.name())
        : from.parent.vnode->rename(from.name(), *to.parent.vnode, to.name(),
            (flags & rename_flag::NoReplace) ? RenameMode::NoReplace : RenameMode::Replace);
    m_names.forget(*from.parent.vnode, from.name());
    m_names.forget(*to.parent.vnode, to.name());
    return result;
}

ErrorOr<void> Vfs::link(const Context& context, const Location& old_base, StringView old_path, const Location& new_base,
    StringView new_path, FollowFinal follow)
{
    auto source = TRY(resolve(context, old_base, old_path, follow));
    if (source.vnode->is_directory())
        return Error::from_errno(EPERM);
    auto where = TRY(resolve_parent(context, new_base, new_path));
    if (where.kind != ParentAndName::Kind::Normal)
        return Error::from_errno(EEXIST);
    if (!where.parent.vnode->lookup(where.name()).is_error())
        return Error::from_errno(EEXIST);
    if (where.trailing_slash)
        return Error::from_errno(ENOENT);
    if (source.mount != where.parent.mount)
        return Error::from_errno(EXDEV);
    TRY(check_writable_directory(context, where.parent));
    return where.parent.vnode->link(where.name(), *source.vnode);
}

ErrorOr<void> Vfs::symlink(const Context& context, StringView target, const Location& base, StringView path)
{
    if (target.is_empty())
        return Error::from_errno(ENOENT);
    if (target.length() >= MAX_PATH_LENGTH)
        return Error::from_errno(ENAMETOOLONG);
    auto where = TRY(resolve_parent(context, base, path));
    if (where.kind != ParentAndName::Kind::Normal)
        return Error::from_errno(EEXIST);
    if (!where.parent.vnode->lookup(where.name()).is_error())
        return Error::from_errno(EEXIST);
    if (where.trailing_slash)
        return Error::from_errno(ENOENT);
    TRY(check_writable_directory(context, where.parent));
    (void)TRY(where.parent.vnode->make_symlink(where.name(), target, owner_of(context)));
    return {};
}

ErrorOr<usize> Vfs::read_link(const Context& context, const Location& base, StringView path, Bytes buffer)
{
    auto link = TRY(resolve(context, base, path, FollowFinal::No));
    if (!link.vnode->is_symlink())
        return Error::from_errno(EINVAL);
    return link.vnode->read_link(buffer);
}

ErrorOr<Attributes> Vfs::stat(const Context& context, const Location& base, StringView path, FollowFinal follow)
{
    auto location = TRY(resolve(context, base, path, follow));
    return location.vnode->attributes();
}

ErrorOr<void> Vfs::check_access(
    const Context& context, const Location& base, StringView path, u32 wanted, FollowFinal follow)
{
    auto location = TRY(resolve(context, base, path, follow));
    if (wanted == 0)
        return {};
    return fs::check_access(location.vnode->attributes(), context.credentials, wanted);
}

ErrorOr<void> Vfs::change_attributes(
    const Context& context, const Location& base, StringView path, const AttributeChange& change, FollowFinal follow)
{
    auto location = TRY(resolve(context, base, path, follow));
    return change_attributes_of(context, *location.vnode, change);
}

ErrorOr<void> Vfs::change_times(const Context& context, const Location& base, StringView path,
    const AttributeChange& change, bool times_to_now, FollowFinal follow)
{
    auto location = TRY(resolve(context, base, path, follow));
    return change_attributes_of(context, *location.vnode, change, times_to_now);
}

ErrorOr<void> Vfs::change_attributes_of(
    const Context& context, Vnode& vnode, const AttributeChange& change, bool times_to_now)
{
    Attributes current = vnode.attributes();
    if (times_to_now && !context.credentials.is_root() && context.credentials.uid != current.uid) {
        // Not the owner: "now" is allowed with write access (EACCES otherwise).
        TRY(fs::check_access(current, context.credentials, access::Write));
        AttributeChange rest = change;
        rest.set_access_time = rest.set_modify_time = false;
        TRY(check_change(current, rest, context.credentials));
    } else {
        TRY(check_change(current, change, context.credentials));
    }
    AttributeChange effective = change;
    if (effective.set_mode) {
        effective.mode &= mode::PermissionMask;
        // chmod by a non-member of the file's group drops setgid (Linux inode_change_ok).
        u32 group = effective.set_gid ? effective.gid : current.gid;
        if (!context.credentials.is_root() && !context.credentials.in_group(group))
            effective.mode &= ~mode::SetGid;
    }
    // A change of owner drops setuid and setgid on files (Linux should_remove_suid).
    if ((effective.set_uid || effective.set_gid) && !vnode.is_directory() && !effective.set_mode
        && (current.mode & (mode::SetUid | mode::SetGid))) {
        effective.set_mode = true;
        effective.mode = current.mode & mode::PermissionMask & ~(mode::SetUid | mode::SetGid);
    }
    return vnode.set_attributes(effective);
}

ErrorOr<void> Vfs::truncate(const Context& context, const Location& base, StringView path, u64 size)
{
    auto location = TRY(resolve(context, base, path, FollowFinal::Yes));
    if (location.vnode->is_directory())
        return Error::from_errno(EISDIR);
    if (!location.vnode->is_regular())
        return Error::from_errno(EINVAL);
    TRY(fs::check_access(location.vnode->attributes(), context.credentials, access::Write));
    return truncate_data(*location.vnode, size);
}

ErrorOr<Location> Vfs::resolve_directory(const Context& context, const Location& base, StringView path)
{
    auto location = TRY(resolve(context, base, path, FollowFinal::Yes));
    if (!location.vnode->is_directory())
        return Error::from_errno(ENOTDIR);
    TRY(fs::check_access(location.vnode->attributes(), context.credentials, access::Execute));
    return location;
}

} // namespace fs
