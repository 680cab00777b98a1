// Path resolution: the walk described in Vfs.h.
//
// The walk keeps the unread rest of the path as a view. Following a symlink
// replaces it with "target + rest", composed in one of two heap buffers that
// alternate (the new text is built from the old); the buffers are allocated
// on the first symlink only, so plain walks do not allocate.
#include <fs/vfs/Permissions.h>
#include <fs/vfs/Vfs.h>
#include <kernel/lib/Allocator.h>

namespace fs {

namespace {

class PathBuffers {
public:
    PathBuffers() = default;
    ~PathBuffers()
    {
        lib::deallocate(m_buffers[0]);
        lib::deallocate(m_buffers[1]);
    }
    PathBuffers(const PathBuffers&) = delete;
    PathBuffers& operator=(const PathBuffers&) = delete;

    // The buffer not holding the current text.
    ErrorOr<char*> next()
    {
        m_current ^= 1;
        if (!m_buffers[m_current]) {
            m_buffers[m_current] = static_cast<char*>(lib::allocate(MAX_PATH_LENGTH, 1));
            if (!m_buffers[m_current])
                return Error::from_errno(ENOMEM);
        }
        return m_buffers[m_current];
    }

private:
    char* m_buffers[2] { nullptr, nullptr };
    unsigned m_current { 1 };
};

StringView skip_slashes(StringView text)
{
    usize i = 0;
    while (i < text.length() && text[i] == '/')
        ++i;
    return text.substring(i);
}

// Replaces `remaining` by the symlink's target followed by `rest`.
ErrorOr<StringView> expand_symlink(Vnode& link, StringView rest, PathBuffers& buffers)
{
    char* buffer = TRY(buffers.next());
    usize length = TRY(link.read_link({ reinterpret_cast<u8*>(buffer), MAX_PATH_LENGTH }));
    if (length == 0)
        return Error::from_errno(ENOENT);
    if (length >= MAX_PATH_LENGTH || rest.length() >= MAX_PATH_LENGTH - length)
        return Error::from_errno(ENAMETOOLONG);
    for (usize i = 0; i < rest.length(); ++i)
        buffer[length + i] = rest[i];
    return StringView(buffer, length + rest.length());
}

} // namespace

void ParentAndName::set_name(StringView name)
{
    m_name_length = min(name.length(), MAX_NAME_LENGTH);
    for (usize i = 0; i < m_name_length; ++i)
        m_name[i] = name[i];
}

Location Vfs::cross_mounts(Location location) const
{
    while (location.mount && location.vnode) {
        RefPtr<Mount> above = m_mounts.mount_covering(*location.mount, *location.vnode);
        if (!above)
            break;
        location.vnode = above->root();
        location.mount = lib::move(above);
    }
    return location;
}

ErrorOr<Location> Vfs::parent_of(const Context& context, const Location& directory) const
{
    Location current = directory;
    for (;;) {
        if (current == context.root)
            return current;
        if (current.vnode != current.mount->root().ptr())
            break;
        Mount* parent = current.mount->parent();
        if (!parent)
            return current; // the global root is its own parent
        Location covered { parent, current.mount->covered() };
        current = lib::move(covered);
    }
    auto parent = TRY(current.vnode->lookup(".."));
    return cross_mounts({ current.mount, lib::move(parent) });
}

ErrorOr<NonnullRefPtr<Vnode>> Vfs::lookup_child(Vnode& directory, StringView name) const
{
    if (!directory.file_system().caches_names())
        return directory.lookup(name);
    if (RefPtr<Vnode> cached = m_names.find(directory, name))
        return NonnullRefPtr<Vnode>(*cached);
    u64 generation = m_names.generation();
    auto child = TRY(directory.lookup(name));
    m_names.insert(directory, name, *child, generation);
    return child;
}

ErrorOr<Location> Vfs::walk(
    const Context& context, const Location& base, StringView path, FollowFinal follow, ParentAndName* parent_out) const
{
    if (path.is_empty())
        return Error::from_errno(ENOENT);
    if (path.length() >= MAX_PATH_LENGTH)
        return Error::from_errno(ENAMETOOLONG);
    if (!context.root.is_valid() || !base.is_valid())
        return Error::from_errno(ENOENT);

    PathBuffers buffers;
    u32 hops = 0;
    Location current = path[0] == '/' ? context.root : base;
    StringView remaining = path;
    for (;;) {
        if (remaining.length() > 0 && remaining[0] == '/')
            remaining = skip_slashes(remaining);
        if (remaining.is_empty())
            break;
        usize end = remaining.find('/');
        if (end == StringView::npos)
            end = remaining.length();
        StringView component = remaining.substring(0, end);
        StringView rest = remaining.substring(end);
        bool trailing = !rest.is_empty();
        bool is_last = skip_slashes(rest).is_empty();

        if (component.length() > MAX_NAME_LENGTH)
            return Error::from_errno(ENAMETOOLONG);
        if (!current.vnode->is_directory())
            return Error::from_errno(ENOTDIR);
        TRY(fs::check_access(current.vnode->attributes(), context.credentials, access::Execute));

        bool is_dot = component == ".";
        bool is_dot_dot = component == "..";
        if (is_last && parent_out) {
            parent_out->parent = current;
            parent_out->set_name(component);
            parent_out->kind = is_dot ? ParentAndName::Kind::Dot
                : is_dot_dot          ? ParentAndName::Kind::DotDot
                                      : ParentAndName::Kind::Normal;
            parent_out->trailing_slash = trailing;
            return current;
        }
        remaining = rest;
        if (is_dot)
            continue;
        if (is_dot_dot) {
            current = TRY(parent_of(context, current));
            continue;
        }

        auto child_vnode = TRY(lookup_child(*current.vnode, component));
        Location child = cross_mounts({ current.mount, lib::move(child_vnode) });
        if (child.vnode->is_symlink() && (!is_last || trailing || follow == FollowFinal::Yes)) {
            if (++hops > MAX_SYMLINK_HOPS)
                return Error::from_errno(ELOOP);
            remaining = TRY(expand_symlink(*child.vnode, rest, buffers));
            if (remaining[0] == '/')
                current = context.root;
            continue;
        }
        if (is_last && trailing && !child.vnode->is_directory())
            return Error::from_errno(ENOTDIR);
        current = lib::move(child);
    }
    // Only slashes were left: the path named a directory ("/", or a walk that
    // ended in a symlink to "/").
    if (parent_out) {
        parent_out->parent = current;
        parent_out->set_name(".");
        parent_out->kind = ParentAndName::Kind::Dot;
        parent_out->trailing_slash = false;
    }
    return current;
}

ErrorOr<Location> Vfs::resolve(const Context& context, const Location& base, StringView path, FollowFinal follow) const
{
    return walk(context, base, path, follow, nullptr);
}

ErrorOr<ParentAndName> Vfs::resolve_parent(const Context& context, const Location& base, StringView path) const
{
    ParentAndName result;
    TRY(walk(context, base, path, FollowFinal::No, &result));
    return result;
}

} // namespace fs
