#pragma once

// ramfs nodes: the metadata every ramfs vnode shares (RamNode), and the two
// small kinds, symlinks (RamSymlink) and device/fifo/socket nodes
// (RamSpecial). Regular files are RamFile (RamFile.h), directories
// RamDirectory (RamDirectory.h).
//
// Locking: the metadata below (mode, owner, link count, times) is guarded by
// the filesystem's tree lock (RamFileSystem::tree_lock), which also guards
// every directory's entries; it is a spinlock, taken only after any
// allocation the operation needs. A file's data has its own lock. No code
// holds both.
//
// Lifetime: a node points at its filesystem without a reference. Whoever
// holds a node must keep the filesystem alive too (the VFS does, through the
// Mount in every Location).
#include <fs/vfs/Vnode.h>
#include <kernel/lib/Spinlock.h>

namespace fs::ramfs {

class RamFileSystem;
class RamDirectory;

class RamNode : public Vnode {
public:
    RamFileSystem& ram_fs() const;
    Attributes attributes() const override;
    ErrorOr<void> set_attributes(const AttributeChange& change) override;

protected:
    friend class RamDirectory;

    RamNode(RamFileSystem& file_system, FileType type, u32 mode, NewOwner owner, u64 rdev = 0);
    // Adds size and blocks to `attributes`; called without the tree lock.
    virtual void fill_size(Attributes& attributes) const = 0;
    // Sets mtime and ctime to `now` (tree lock held).
    void touch_modified_locked(Timespec now);
    // Takes the tree lock to record a data change.
    void touch_modified();

    // Guarded by the tree lock:
    u32 m_mode;
    u32 m_uid;
    u32 m_gid;
    u32 m_link_count { 0 };
    Timespec m_access_time;
    Timespec m_modify_time;
    Timespec m_change_time;
    const u64 m_rdev;
};

class RamSymlink final : public RamNode {
public:
    static ErrorOr<NonnullRefPtr<RamSymlink>> try_create(RamFileSystem& file_system, StringView target, NewOwner owner);
    ~RamSymlink() override;
    ErrorOr<usize> read_link(Bytes buffer) override;

private:
    RamSymlink(RamFileSystem& file_system, char* target, usize length, NewOwner owner);
    void fill_size(Attributes& attributes) const override;

    char* m_target; // immutable
    usize m_length;
};

// Character and block devices, fifos and sockets: metadata only here; what
// opening them does belongs to devfs, pipes and sockets.
class RamSpecial final : public RamNode {
public:
    static ErrorOr<NonnullRefPtr<RamSpecial>> try_create(
        RamFileSystem& file_system, u32 mode, u64 rdev, NewOwner owner);

private:
    RamSpecial(RamFileSystem& file_system, u32 mode, u64 rdev, NewOwner owner);
    void fill_size(Attributes&) const override { }
};

} // namespace fs::ramfs
