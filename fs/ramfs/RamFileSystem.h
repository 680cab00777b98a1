#pragma once

// ramfs: a filesystem that lives entirely in kernel memory. It is the root
// filesystem (unpacked from the initramfs, see Initramfs.h) and the model
// the VFS is tested against.
//
// The filesystem object owns the root directory; directories own their
// entries, entries own references to their nodes. Tearing the tree down is
// iterative (release_entries), so a deep tree cannot exhaust a kernel stack.
// Inode numbers come from a per-filesystem counter (the root is 1).
// Timestamps come from fs::current_time().
#include <fs/ramfs/RamNode.h>
#include <fs/vfs/FileSystem.h>
#include <kernel/lib/Atomic.h>
#include <kernel/lib/Spinlock.h>

namespace fs::ramfs {

// The same code serves ramfs and tmpfs (fs/tmpfs/Tmpfs.h): tmpfs differs in
// its name, its statfs magic and an optional limit on the pages its files
// hold (ENOSPC past it), which statfs reports as the filesystem's size.
enum class RamFlavor : u8 {
    Ramfs,
    Tmpfs,
};

class RamFileSystem final : public FileSystem {
public:
    static ErrorOr<NonnullRefPtr<RamFileSystem>> try_create(
        u32 root_mode = 0755, NewOwner root_owner = { 0, 0 }, RamFlavor flavor = RamFlavor::Ramfs, u64 page_limit = 0);
    ~RamFileSystem() override;

    StringView name() const override { return m_flavor == RamFlavor::Tmpfs ? "tmpfs" : "ramfs"; }
    NonnullRefPtr<Vnode> root() override;
    FileSystemStatistics statistics() const override;
    bool caches_names() const override { return true; }
    usize format_options(Bytes buffer) const override;

    // File pages in use, and the limit (0 = none). reserve_pages fails
    // (false) when `count` more would pass the limit.
    bool reserve_pages(u64 count);
    void release_pages(u64 count);
    u64 pages_in_use() const { return m_pages_in_use.load(MemoryOrder::Relaxed); }
    u64 page_limit() const { return m_page_limit; }
    RamDirectory& root_directory() { return *m_root; }

    // Guards every directory's entries and every node's metadata.
    Spinlock& tree_lock() const { return m_tree_lock; }
    u64 allocate_inode_number() { return m_next_inode.fetch_add(1, MemoryOrder::Relaxed); }

private:
    RamFileSystem() = default;

    RefPtr<RamDirectory> m_root;
    mutable Spinlock m_tree_lock;
    Atomic<u64> m_next_inode { 1 };
    Atomic<u64> m_pages_in_use { 0 };
    RamFlavor m_flavor { RamFlavor::Ramfs };
    u64 m_page_limit { 0 };
};

} // namespace fs::ramfs
