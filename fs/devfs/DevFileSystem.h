#pragma once

// devfs: the filesystem mounted at /dev. One flat directory of character
// device nodes; opening a node gives the device's own open file description
// (Vnode::open_file), not a VnodeFile.
//
// Devices are registered by name with Linux's major/minor numbers
// (Documentation/admin-guide/devices.txt): try_create() adds the memory
// devices (null 1:3, zero 1:5, full 1:7, random 1:8, urandom 1:9, see
// MemoryDevices.h); the kernel adds the terminals (console 5:1, tty 5:0)
// from kernel/tty. Names must have static storage (string literals).
// Nodes cannot be created, removed or renamed from user space (EPERM);
// chmod/chown/utimes change the node's attributes as on Linux's devtmpfs.
//
// Locking: m_lock guards the node table (at most MAX_DEVICES entries,
// fixed, so adding a device allocates its node before taking the lock).
// Each node guards its own attributes with its own lock.
#include <fs/vfs/FileSystem.h>
#include <fs/vfs/Mount.h>
#include <fs/vfs/OpenFile.h>
#include <fs/vfs/Vnode.h>
#include <kernel/lib/Spinlock.h>

namespace fs::devfs {

// What opening a node makes; `location` is the node (for stat and to keep
// the mount busy), `flags` open(2)'s.
using DeviceOpener = ErrorOr<NonnullRefPtr<OpenFile>> (*)(Location location, u32 flags);

struct DeviceSpec {
    StringView name; // static storage
    u32 major;
    u32 minor;
    u32 permissions; // e.g. 0666; with mode::BlockDevice for a block device node
    DeviceOpener open;
};

// Linux's dev_t encoding (new_encode_dev in include/linux/kdev_t.h).
constexpr u64 encode_device(u32 major, u32 minor)
{
    return (minor & 0xffu) | (static_cast<u64>(major & 0xfffu) << 8) | (static_cast<u64>(minor & ~0xffu) << 12)
        | (static_cast<u64>(major & ~0xfffu) << 32);
}

class DevFileSystem final : public FileSystem {
public:
    static constexpr usize MAX_DEVICES = 32;

    // A devfs holding the memory devices. ENOMEM.
    static ErrorOr<NonnullRefPtr<DevFileSystem>> try_create();
    ~DevFileSystem() override;

    StringView name() const override { return "devfs"; }
    // Linux's devtmpfs is a tmpfs: statfs reports TMPFS_MAGIC.
    u64 magic() const override { return magic::Tmpfs; }
    NonnullRefPtr<Vnode> root() override;

    // EEXIST for a taken name, ENOSPC when the table is full, ENOMEM.
    ErrorOr<void> add_device(const DeviceSpec& spec);

    // For the root directory vnode.
    RefPtr<Vnode> find(StringView name);
    // The node at table index `index`, or null past the end.
    RefPtr<Vnode> node_at(usize index);

private:
    DevFileSystem() = default;

    RefPtr<Vnode> m_root;
    Spinlock m_lock;
    RefPtr<Vnode> m_nodes[MAX_DEVICES]; // guarded by m_lock
    usize m_node_count { 0 };           // guarded by m_lock
    Atomic<u64> m_next_inode { 2 };
};

} // namespace fs::devfs
