#pragma once

// The vnode of one ext4 inode. It keeps the inode record in memory and
// writes it through the filesystem after each change. Every operation takes
// the filesystem's lock (Ext4FileSystem.h) for its whole duration.
#include <fs/ext4/Inode.h>
#include <fs/vfs/Vnode.h>

namespace ext4 {

class Ext4FileSystem;

class Ext4Vnode final : public fs::Vnode {
public:
    Ext4Vnode(Ext4FileSystem& file_system, const InodeRecord& inode);

    fs::Attributes attributes() const override;
    ErrorOr<void> set_attributes(const fs::AttributeChange& change) override;

    ErrorOr<NonnullRefPtr<fs::Vnode>> lookup(StringView name) override;
    ErrorOr<NonnullRefPtr<fs::Vnode>> create(StringView name, u32 mode, u64 rdev, fs::NewOwner owner) override;
    ErrorOr<NonnullRefPtr<fs::Vnode>> make_directory(StringView name, u32 mode, fs::NewOwner owner) override;
    ErrorOr<NonnullRefPtr<fs::Vnode>> make_symlink(StringView name, StringView target, fs::NewOwner owner) override;
    ErrorOr<void> link(StringView name, fs::Vnode& target) override;
    ErrorOr<void> unlink(StringView name) override;
    ErrorOr<void> remove_directory(StringView name) override;
    ErrorOr<void> rename(StringView old_name, fs::Vnode& new_parent, StringView new_name, fs::RenameMode mode) override;
    ErrorOr<u64> read_directory(u64 cookie, fs::DirectoryVisitor& visitor) override;

    ErrorOr<usize> read(u64 offset, Bytes buffer) override;
    ErrorOr<fs::WriteResult> write(u64 offset, ReadonlyBytes data, fs::WriteMode mode) override;
    ErrorOr<void> truncate(u64 size) override;
    ErrorOr<usize> read_link(Bytes buffer) override;
    // fsync/fdatasync: writes the whole filesystem back (simpler than one
    // file's blocks, and as durable).
    ErrorOr<void> sync(bool data_only) override;

    // Lock held.
    InodeRecord& inode() { return m_inode; }
    const InodeRecord& inode() const { return m_inode; }

private:
    Ext4FileSystem& ext4() const;
    // The operations' bodies, with the lock held.
    ErrorOr<NonnullRefPtr<fs::Vnode>> create_node(
        StringView name, u32 mode, u64 rdev, fs::NewOwner owner, StringView symlink_target);
    ErrorOr<usize> read_locked(u64 offset, Bytes buffer);
    ErrorOr<fs::WriteResult> write_locked(u64 offset, ReadonlyBytes data, fs::WriteMode mode);
    ErrorOr<void> truncate_locked(u64 size);
    ErrorOr<void> rename_locked(StringView old_name, Ext4Vnode& new_parent, StringView new_name, fs::RenameMode mode);
    ErrorOr<void> check_not_ancestor(u32 moved_directory);
    void touch_modified();
    void touch_changed();

    InodeRecord m_inode;
};

} // namespace ext4
