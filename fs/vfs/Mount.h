#pragma once

// Mounts and the mount table.
//
// A Mount attaches a FileSystem's root over a directory (the covered vnode)
// seen through another mount (the parent); the root mount has neither. A
// Location is a (mount, vnode) pair, Linux's struct path: the same directory
// can be reached through different mounts, and `..` at a mount's root needs
// to know which mount the walk came through.
//
// Stacking: mounting on a directory that is already a mount point covers the
// top mount's root, so at most one mount covers a given (parent, vnode) pair
// and crossing down is a loop of single lookups.
//
// Locking: the table is a fixed array of references guarded by a spinlock.
// Nothing allocates under it; references to removed mounts are dropped after
// the lock is released. A Mount's fields never change after creation.
// Unmount is refused (EBUSY) while anything else holds a reference to the
// Mount: a Location held as a cwd or by an open file, or a child mount.
#include <fs/vfs/FileSystem.h>
#include <fs/vfs/Vnode.h>
#include <kernel/lib/Spinlock.h>

namespace fs {

// Per-mount flags (mount(2)'s MS_NOATIME, MS_NODIRATIME, MS_STRICTATIME;
// relatime is the default, as on Linux).
namespace mount_flag {
inline constexpr u32 NoAtime = 1;
inline constexpr u32 NoDirAtime = 2;
inline constexpr u32 StrictAtime = 4;
} // namespace mount_flag

class Mount : public RefCounted<Mount> {
public:
    // `source` is what mount(2) was given as the source ("/dev/vda1",
    // "none"); empty means the filesystem type stands for it.
    static ErrorOr<NonnullRefPtr<Mount>> try_create(NonnullRefPtr<FileSystem> file_system, RefPtr<Mount> parent,
        RefPtr<Vnode> covered, StringView path, StringView source = {});
    ~Mount();

    FileSystem& file_system() const { return *m_file_system; }
    const NonnullRefPtr<Vnode>& root() const { return m_root; }
    Mount* parent() const { return m_parent.ptr(); }
    Vnode* covered() const { return m_covered.ptr(); }
    // The mount point's path as given at mount time (for display).
    StringView path() const { return { m_path, m_path_length }; }
    StringView source() const { return { m_path + m_path_length + 1, m_source_length }; }
    // mount_flag bits; set once, before the mount is in the table.
    u32 flags() const { return m_flags; }
    void set_flags(u32 flags) { m_flags = flags; }

private:
    Mount(NonnullRefPtr<FileSystem> file_system, RefPtr<Mount> parent, RefPtr<Vnode> covered, char* path,
        usize path_length);

    NonnullRefPtr<FileSystem> m_file_system;
    NonnullRefPtr<Vnode> m_root;
    RefPtr<Mount> m_parent;
    RefPtr<Vnode> m_covered;
    char* m_path; // the path, a NUL, the source, a NUL
    usize m_path_length;
    usize m_source_length { 0 };
    u32 m_flags { 0 };
};

struct Location {
    RefPtr<Mount> mount;
    RefPtr<Vnode> vnode;

    bool is_valid() const { return mount && vnode; }
    bool operator==(const Location& other) const { return mount == other.mount && vnode == other.vnode; }
};

class MountTable {
public:
    static constexpr usize MAX_MOUNTS = 64;

    constexpr MountTable() = default;
    ~MountTable();

    // Adds `mount` (ENOSPC when the table is full, EBUSY if its pair is covered).
    ErrorOr<void> add(NonnullRefPtr<Mount> mount);
    // Removes `mount`; EBUSY while others reference it, EINVAL if absent.
    ErrorOr<void> remove(Mount& mount);
    // The mount covering `vnode` as seen through `parent`, if any.
    RefPtr<Mount> mount_covering(const Mount& parent, const Vnode& vnode) const;
    // True if any mount covers `vnode` (through any parent).
    bool is_covered(const Vnode& vnode) const;
    // True if any mount of `file_system` is in the table.
    bool is_mounted(const FileSystem& file_system) const;
    // Copies references to the mounts, in mount order, into `out`; returns how many.
    usize snapshot(Span<RefPtr<Mount>> out) const;
    usize count() const;
    // Drops every mount (shutdown and tests).
    void clear();

private:
    mutable Spinlock m_lock;
    RefPtr<Mount> m_mounts[MAX_MOUNTS]; // guarded by m_lock; packed at the front, in mount order
    usize m_count { 0 };                // guarded by m_lock
};

} // namespace fs
