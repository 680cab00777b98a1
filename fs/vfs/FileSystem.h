#pragma once

// A mounted filesystem instance: the object that owns a tree of vnodes. The
// VFS reaches the tree through root(); everything else goes through vnodes.
// A FileSystem is reference counted: the mount table holds one reference per
// mount, and whoever built it may hold more. Vnodes point back at their
// FileSystem without a reference (the filesystem holds its vnodes, not the
// other way round); unmount refuses while any vnode of it is in use.
#include <kernel/lib/Atomic.h>
#include <kernel/lib/Error.h>
#include <kernel/lib/RefPtr.h>
#include <kernel/lib/Span.h>
#include <kernel/lib/StringView.h>

namespace fs {

class Vnode;

// What statfs(2) reports, filesystem-neutral (fs/vfs/Stat.cpp fills struct
// statfs from it). Counts are in block_size units.
struct FileSystemStatistics {
    u64 magic { 0 }; // f_type: Linux's magic number for the filesystem type
    u64 block_size { 4096 };
    u64 blocks { 0 };
    u64 free_blocks { 0 };
    u64 available_blocks { 0 }; // free to unprivileged users
    u64 files { 0 };
    u64 free_files { 0 };
    u64 name_max { 255 };
    u64 mount_flags { 0 }; // ST_* bits
};

// Linux's filesystem magic numbers (include/uapi/linux/magic.h).
namespace magic {
inline constexpr u64 Ramfs = 0x858458f6;
inline constexpr u64 Tmpfs = 0x01021994;
inline constexpr u64 Proc = 0x9fa0;
inline constexpr u64 Ext4 = 0xef53;
inline constexpr u64 Devpts = 0x1cd1;
} // namespace magic

class FileSystem : public RefCounted<FileSystem> {
public:
    virtual ~FileSystem() = default;

    // A short name such as "ramfs", shown by `mounts`.
    virtual StringView name() const = 0;
    virtual NonnullRefPtr<Vnode> root() = 0;
    // statfs(2); the default reports the magic number and nothing else.
    virtual FileSystemStatistics statistics() const;
    // f_type for the default statistics().
    virtual u64 magic() const { return 0; }
    // sync(2)/syncfs(2): writes everything dirty back (nothing in memory-only
    // filesystems).
    virtual ErrorOr<void> sync();
    // True if every change to this filesystem's names goes through the VFS,
    // so the name cache (NameCache.h) may remember its lookups.
    virtual bool caches_names() const { return false; }
    // The options /proc/mounts shows after "rw" (e.g. "size=1024k"); empty
    // by default.
    virtual usize format_options(Bytes) const { return 0; }

    // The st_dev value for every vnode of this filesystem: unique per instance.
    u64 device_id() const { return m_device_id; }

    // Called after a reference to one of this filesystem's vnodes was dropped
    // and others remain, when the filesystem asked for it
    // (set_unreference_notices). It may take the filesystem's own locks but
    // not wait on them: the caller may hold them (Ext4FileSystem frees an
    // unlinked inode here once only its vnode map references it).
    virtual void vnode_unreferenced() { }
    bool wants_unreference_notices() const { return m_unreference_notices.load(MemoryOrder::Acquire); }

protected:
    FileSystem();
    void set_unreference_notices(bool wanted) { m_unreference_notices.store(wanted, MemoryOrder::Release); }

private:
    u64 m_device_id;
    Atomic<bool> m_unreference_notices { false };
};

} // namespace fs
