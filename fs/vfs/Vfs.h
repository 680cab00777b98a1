#pragma once

// The VFS: one mount table and the operations system calls need, expressed
// on Locations (mount + vnode) and paths.
//
// Every path operation takes a Context (the caller's root directory and
// credentials) and a base Location for relative paths (the cwd, or a dirfd's
// directory for the *at calls). Paths are kernel copies; a path of
// MAX_PATH_LENGTH bytes or more is ENAMETOOLONG, a component longer than
// MAX_NAME_LENGTH is ENAMETOOLONG, an empty path is ENOENT.
//
// Path walk (PathWalk.cpp), as Linux's link_path_walk: components separated
// by any number of '/'; each directory passed through needs search (x)
// permission; "." stays; ".." goes to the parent, never above the caller's
// root, and from a mount's root to the parent of the covered directory; a
// directory that is a mount point is replaced by the root of the mount on it;
// lookups go through the name cache (NameCache.h) where the filesystem
// allows; symlinks inside the path are always followed, the final one only when
// asked (FollowFinal::Yes), and a path with a trailing slash must name a
// directory (a final symlink is then followed). More than MAX_SYMLINK_HOPS
// links in one resolution is ELOOP.
//
// The umask is the caller's business: modes given here are used as they are.
//
// Locking: the Vfs itself holds only the mount table (see Mount.h);
// filesystems lock their own trees. Nothing here holds a lock across a call
// into a filesystem.
#include <fs/vfs/Mount.h>
#include <fs/vfs/NameCache.h>
#include <fs/vfs/OpenFile.h>

namespace fs {

namespace rename_flag {
inline constexpr u32 NoReplace = 1; // RENAME_NOREPLACE
inline constexpr u32 Exchange = 2;  // RENAME_EXCHANGE
inline constexpr u32 Whiteout = 4;  // RENAME_WHITEOUT (not supported: EINVAL)
} // namespace rename_flag

struct Context {
    Location root; // absolute paths start here; ".." stops here
    Credentials credentials;
};

enum class FollowFinal : u8 {
    No,
    Yes,
};

// The directory that holds a path's last component, and that component
// (copied: after a symlink inside the path it lives in no caller buffer).
struct ParentAndName {
    enum class Kind : u8 {
        Normal, // name() is a real entry name
        Dot,    // the path ends in "." (or is "/")
        DotDot, // the path ends in ".."
    };
    Location parent;
    Kind kind { Kind::Normal };
    bool trailing_slash { false };

    StringView name() const { return { m_name, m_name_length }; }
    void set_name(StringView name);

private:
    char m_name[MAX_NAME_LENGTH];
    usize m_name_length { 0 };
};

class Vfs {
public:
    Vfs() = default;
    ~Vfs();
    Vfs(const Vfs&) = delete;
    Vfs& operator=(const Vfs&) = delete;

    // Makes `file_system` the root (EBUSY if there already is one).
    ErrorOr<void> mount_root(NonnullRefPtr<FileSystem> file_system);
    // Mounts over the directory `path` names (ENOTDIR if it is not one).
    // `display_path` is the absolute path /proc/mounts shows (`path` when
    // empty), `source` the mount source it shows (see Mount::try_create),
    // `flags` the mount_flag bits.
    ErrorOr<void> mount(const Context& context, const Location& base, StringView path,
        NonnullRefPtr<FileSystem> file_system, StringView display_path = {}, StringView source = {}, u32 flags = 0);
    // Unmounts the mount whose root `path` names (EINVAL if it is not a mount
    // root, EBUSY while in use: open files, cwds, mounts below it).
    ErrorOr<void> unmount(const Context& context, const Location& base, StringView path);
    // The root of the whole tree (a process's root starts here).
    Location root() const;
    const MountTable& mounts() const { return m_mounts; }
    const NameCache& name_cache() const { return m_names; }
    // Drops every mount (tests and shutdown).
    void unmount_all();

    // Path walk (PathWalk.cpp).
    ErrorOr<Location> resolve(const Context& context, const Location& base, StringView path, FollowFinal follow) const;
    ErrorOr<ParentAndName> resolve_parent(const Context& context, const Location& base, StringView path) const;
    // The parent of a directory Location, honouring mounts and the context's root.
    ErrorOr<Location> parent_of(const Context& context, const Location& directory) const;
    // The mount root on top of `location` if it is a mount point, else `location`.
    Location cross_mounts(Location location) const;

    // Operations (VfsOperations.cpp). `mode` arguments carry permission bits.
    ErrorOr<NonnullRefPtr<OpenFile>> open(
        const Context& context, const Location& base, StringView path, u32 flags, u32 mode);
    ErrorOr<void> make_directory(const Context& context, const Location& base, StringView path, u32 mode);
    // mknod for non-directories: `mode` carries the type (0 = regular).
    ErrorOr<void> make_node(const Context& context, const Location& base, StringView path, u32 mode, u64 rdev);
    ErrorOr<void> unlink(const Context& context, const Location& base, StringView path);
    ErrorOr<void> remove_directory(const Context& context, const Location& base, StringView path);
    // renameat2: `flags` is 0, rename_flag::NoReplace (EEXIST if the target
    // exists) or rename_flag::Exchange (both must exist; swapped).
    ErrorOr<void> rename(const Context& context, const Location& old_base, StringView old_path,
        const Location& new_base, StringView new_path, u32 flags = 0);
    ErrorOr<void> link(const Context& context, const Location& old_base, StringView old_path, const Location& new_base,
        StringView new_path, FollowFinal follow);
    ErrorOr<void> symlink(const Context& context, StringView target, const Location& base, StringView path);
    ErrorOr<usize> read_link(const Context& context, const Location& base, StringView path, Bytes buffer);
    ErrorOr<Attributes> stat(const Context& context, const Location& base, StringView path, FollowFinal follow);
    // access(2): `wanted` is a mask of access::Read/Write/Execute (0 = exists).
    ErrorOr<void> check_access(const Context& context, const Location& base, StringView path, u32 wanted,
        FollowFinal follow = FollowFinal::Yes);
    ErrorOr<void> change_attributes(const Context& context, const Location& base, StringView path,
        const AttributeChange& change, FollowFinal follow);
    // chmod/chown/utimens on a file already found (fchmod, fchown, futimens).
    // `times_to_now`: the change sets times to the current time only, which
    // write access allows as well as ownership (Linux utimes_common).
    ErrorOr<void> change_attributes_of(
        const Context& context, Vnode& vnode, const AttributeChange& change, bool times_to_now = false);
    // utimensat on a path.
    ErrorOr<void> change_times(const Context& context, const Location& base, StringView path,
        const AttributeChange& change, bool times_to_now, FollowFinal follow);
    ErrorOr<void> truncate(const Context& context, const Location& base, StringView path, u64 size);
    // chdir's check: `path` must name a searchable directory.
    ErrorOr<Location> resolve_directory(const Context& context, const Location& base, StringView path);

private:
    // `directory`'s entry `name`, from the name cache when it can.
    ErrorOr<NonnullRefPtr<Vnode>> lookup_child(Vnode& directory, StringView name) const;
    ErrorOr<Location> walk(const Context& context, const Location& base, StringView path, FollowFinal follow,
        ParentAndName* parent_out) const;
    ErrorOr<void> check_writable_directory(const Context& context, const Location& directory) const;

    MountTable m_mounts;
    RefPtr<Mount> m_root_mount;
    mutable NameCache m_names;
};

// The kernel's VFS, set up by init_vfs() at boot.
void init_vfs();
Vfs& vfs();

} // namespace fs
