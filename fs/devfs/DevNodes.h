#pragma once

// The two vnode kinds of devfs: its root directory and device nodes.
// Attributes live in the vnode, guarded by its own spinlock.
#include <fs/devfs/DevFileSystem.h>

namespace fs::devfs {

class DeviceNode final : public Vnode {
public:
    DeviceNode(DevFileSystem& file_system, u64 inode, const DeviceSpec& spec);

    StringView name() const { return m_spec.name; }
    Attributes attributes() const override;
    ErrorOr<void> set_attributes(const AttributeChange& change) override;
    ErrorOr<NonnullRefPtr<OpenFile>> open_file(Location location, u32 flags) override;

private:
    DeviceSpec m_spec;
    mutable Spinlock m_lock;
    Attributes m_attributes; // guarded by m_lock
};

class DevRootDirectory final : public Vnode {
public:
    explicit DevRootDirectory(DevFileSystem& file_system);

    Attributes attributes() const override;
    ErrorOr<void> set_attributes(const AttributeChange& change) override;
    ErrorOr<NonnullRefPtr<Vnode>> lookup(StringView name) override;
    ErrorOr<NonnullRefPtr<Vnode>> create(StringView name, u32 mode, u64 rdev, NewOwner owner) override;
    ErrorOr<NonnullRefPtr<Vnode>> make_directory(StringView name, u32 mode, NewOwner owner) override;
    ErrorOr<NonnullRefPtr<Vnode>> make_symlink(StringView name, StringView target, NewOwner owner) override;
    ErrorOr<void> link(StringView name, Vnode& target) override;
    ErrorOr<void> unlink(StringView name) override;
    ErrorOr<void> remove_directory(StringView name) override;
    ErrorOr<void> rename(StringView old_name, Vnode& new_parent, StringView new_name, RenameMode mode) override;
    ErrorOr<u64> read_directory(u64 cookie, DirectoryVisitor& visitor) override;

private:
    DevFileSystem& dev_fs() const { return static_cast<DevFileSystem&>(file_system()); }

    mutable Spinlock m_lock;
    Attributes m_attributes; // guarded by m_lock
};

// chmod/chown/utimes applied to `attributes` (shared by both kinds).
void apply_change(Attributes& attributes, const AttributeChange& change);

} // namespace fs::devfs
