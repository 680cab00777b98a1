#pragma once

// A mounted filesystem instance: the object that owns a tree of vnodes. The
// VFS reaches the tree through root(); everything else goes through vnodes.
// A FileSystem is reference counted: the mount table holds one reference per
// mount, and whoever built it may hold more. Vnodes point back at their
// FileSystem without a reference (the filesystem holds its vnodes, not the
// other way round); unmount refuses while any vnode of it is in use.
#include <kernel/lib/Atomic.h>
#include <kernel/lib/RefPtr.h>
#include <kernel/lib/StringView.h>

namespace fs {

class Vnode;

class FileSystem : public RefCounted<FileSystem> {
public:
    virtual ~FileSystem() = default;

    // A short name such as "ramfs", shown by `mounts`.
    virtual StringView name() const = 0;
    virtual NonnullRefPtr<Vnode> root() = 0;

    // The st_dev value for every vnode of this filesystem: unique per instance.
    u64 device_id() const { return m_device_id; }

protected:
    FileSystem();

private:
    u64 m_device_id;
};

} // namespace fs
