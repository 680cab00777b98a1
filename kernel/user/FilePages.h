#pragma once

// The page cache of a memory-mapped file: one physical frame per file page
// that some mapping has touched, shared by every mapping of the file (that
// is what makes MAP_SHARED mappings in several processes, and fork
// children, see the same bytes) and kept coherent with read/write/truncate
// through fs::CachedPages (fs/vfs/CachedPages.h).
//
// Ownership: the cache belongs to its vnode (created at the first mmap of the
// file, deleted with the vnode, Vnode::~Vnode); mappings keep the vnode
// alive through their region (Region::file), so the cache outlives them.
// The cache owns each frame once; every page-table entry mapping it adds a
// share (user::frame_shares()), so release_user_frames frees a frame only
// when the cache and every mapping have let it go, in whatever order.
//
// Reading in: a page is read from the vnode when first asked for; pages
// past the end of file read as zeros. Write-back (write_back) copies pages
// to the vnode with the vnode's write, never past its current size, so a
// mapping never makes a file longer (as on Linux). A page is written back
// only if some mapping could write it (mark_writable).
//
// The pages sit in a three-level radix tree of 512-slot nodes (file pages
// up to 512^3, i.e. files up to 512 GiB can be mapped; EFBIG past that). A
// leaf slot holds the frame address, with bit 0 set once a writable shared
// mapping has mapped it.
//
// Every cache is on one registry list, so that sync(2) and syncfs(2) can
// write back what stores through shared mappings changed (Linux finds those
// pages through the page tables' dirty bits; here every page a writable
// shared mapping mapped is written).
//
// Locking: m_lock, a spinlock, guards the tree and m_generation; it is
// never held across an allocation or a vnode call: nodes and frames are
// allocated first and installed under the lock. Frames stay put while the
// cache lives. m_generation counts writes, so a page read in while a write()
// changed the file is read again instead of being cached stale.
#include <fs/vfs/CachedPages.h>
#include <fs/vfs/Vnode.h>
#include <kernel/lib/Spinlock.h>

namespace user {

class FilePages final : public fs::CachedPages {
public:
    // The cache of `vnode`, made on first use (ENOMEM).
    static ErrorOr<FilePages*> of(fs::Vnode& vnode);
    ~FilePages() override;

    // The frame holding file page `index` (byte offset index * PAGE_SIZE),
    // read in if needed. The caller adds a share before mapping it.
    ErrorOr<PhysAddr> frame_for(u64 index);
    // Records that a writable shared mapping may have changed page `index`.
    void mark_writable(u64 index);
    // Writes the pages in [first, first + count) that are cached and marked
    // back to the file.
    ErrorOr<void> write_back(u64 first, u64 count);

    void overlay_read(u64 offset, Bytes buffer) override;
    void update_after_write(u64 offset, ReadonlyBytes data) override;
    void update_after_truncate(u64 from) override;

    static constexpr u64 FANOUT = 512;
    static constexpr u64 MAX_PAGES = FANOUT * FANOUT * FANOUT;

private:
    static constexpr u64 WRITABLE_BIT = 1;
    struct Node {
        void* slots[FANOUT];
    };

    explicit FilePages(fs::Vnode& vnode)
        : m_vnode(vnode)
    {
    }
    // The leaf slot of page `index`, or null if its nodes do not exist.
    u64* slot_locked(u64 index) const;
    // Makes the nodes down to page `index`'s leaf exist (allocating unlocked).
    ErrorOr<void> prepare_path(u64 index);
    // Calls visit(index, slot) for every cached page in [first, last], in
    // order, until it returns false.
    template<typename Visit>
    void for_each_locked(u64 first, u64 last, Visit visit) const;

    friend ErrorOr<void> write_back_mapped_pages(const fs::FileSystem*);

    fs::Vnode& m_vnode; // the owner
    // The registry list (guarded by its lock in FilePages.cpp).
    FilePages* m_next_cache { nullptr };
    FilePages* m_previous_cache { nullptr };
    u64 m_cache_id { 0 };
    mutable Spinlock m_lock;
    Node* m_root { nullptr }; // guarded by m_lock
    u64 m_generation { 0 };   // guarded by m_lock
};

// fsync's part: writes back every page of `vnode`'s cache (if it has one).
ErrorOr<void> write_back_file_pages(fs::Vnode& vnode);
// sync's and syncfs's part: the same for every mapped file (of
// `file_system`, or of every filesystem if null). The first error is
// returned after trying all of them.
ErrorOr<void> write_back_mapped_pages(const fs::FileSystem* file_system);

} // namespace user
