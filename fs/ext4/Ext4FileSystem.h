#pragma once

// ext2, ext3 and ext4 on a block device.
//
// Mounting reads and checks the superblock and every group descriptor,
// replays the journal if the filesystem needs recovery (Journal.h), and,
// unless read-only, marks the filesystem not clean until it is unmounted
// (sync + clean state in the destructor or unmount()). Writes do not go
// through the journal: metadata is written in place through the block cache
// and reaches the disk on sync, on eviction or at unmount, leaving the
// journal empty so that e2fsck and Linux see a consistent filesystem after a
// clean unmount.
//
// Structure: this class owns the geometry, the block cache, the group
// descriptors and the inode/block allocators (Groups.cpp, Inodes.cpp); file
// block mapping is FileBlocks.h (extents or indirect blocks), directories
// Directory.h, and the vnodes Ext4Vnode.h.
//
// Locking: one SleepLock per filesystem serializes every operation (vnode
// operations take it on entry); everything marked "lock held" below expects
// it. Vnodes are unique per inode: the filesystem keeps each live vnode in a
// map (holding a reference) and drops those nobody else references when the
// map grows.
//
// Unlinked inodes: an inode whose last link goes while its vnode is in use
// (open, mapped, a working directory) goes on the on-disk orphan list, as
// Linux does (the superblock's s_last_orphan, chained through i_dtime), so
// that the next mount frees it if the system stops first. It is freed, and
// leaves the list, as soon as only the map references its vnode: the VFS
// tells the filesystem about every dropped vnode reference
// (vnode_unreferenced); that may happen with the lock held (by this thread
// or another), so the release is deferred work of the lock (SleepLock.h),
// done before the lock is next let go. Blocks and inode are back in the
// free counts when the last close, munmap or exit returns.
//
// Corruption: every structure read from disk is checked before use. A bad
// superblock or group descriptor fails the mount (EUCLEAN/EINVAL); a bad
// inode, extent node, indirect block or directory block fails the operation
// on that file with EUCLEAN (or EIO from the device) and nothing else.
#include <fs/block/BlockCache.h>
#include <fs/block/SleepLock.h>
#include <fs/ext4/Inode.h>
#include <fs/ext4/Superblock.h>
#include <fs/vfs/FileSystem.h>
#include <fs/vfs/Vnode.h>
#include <kernel/lib/HashMap.h>
#include <kernel/lib/Vector.h>

namespace ext4 {

class Ext4Vnode;

// Kinds of validated blocks (BlockHandle::checked_kind).
inline constexpr u8 CHECKED_DIRECTORY_BLOCK = 1;
inline constexpr u8 CHECKED_EXTENT_NODE = 2;

struct MountOptions {
    bool read_only { false };
    // Block cache size in bytes (rounded to whole blocks).
    usize cache_bytes { 4 * 1024 * 1024 };
};

struct UsageCounts {
    u64 total_blocks;
    u64 free_blocks;
    u64 available_blocks; // free minus the root reserve
    u64 total_inodes;
    u64 free_inodes;
    u32 block_size;
};

class Ext4FileSystem final
    : public fs::FileSystem
    , private block::DeferredWork {
public:
    static ErrorOr<NonnullRefPtr<Ext4FileSystem>> mount(NonnullRefPtr<block::BlockDevice> device, MountOptions options);
    // Unmounts (sync, clean state) if unmount() was not called.
    ~Ext4FileSystem() override;

    StringView name() const override { return m_name; }
    NonnullRefPtr<fs::Vnode> root() override;

    // Writes every change to the device and flushes it (sync, syncfs).
    ErrorOr<void> sync() override;
    // statfs: the counts of usage(), with ext4's magic number.
    fs::FileSystemStatistics statistics() const override;
    u64 magic() const override { return fs::magic::Ext4; }
    // Every name change of a mounted ext4 goes through the VFS.
    bool caches_names() const override { return true; }
    // Frees unreferenced unlinked inodes, syncs, marks the filesystem clean.
    // No operation may follow.
    void vnode_unreferenced() override;
    ErrorOr<void> unmount();
    bool is_read_only() const { return m_read_only; }
    UsageCounts usage() const;
    block::BlockCache& cache() { return *m_cache; }
    const Geometry& geometry() const { return m_geometry; }
    // True if the journal was replayed at mount.
    bool journal_was_replayed() const { return m_journal_replayed; }

    // --- Internal interface for the ext4 code (lock held) ---
    block::SleepLock& lock() { return m_lock; }
    // Frees unlinked inodes nobody references and puts those still in use
    // on the orphan list; `all` also drops every vnode only the map
    // references (when the map is large).
    void reap_unused_vnodes(bool all = false);
    // Records that an inode lost its last link: before the lock is let go it
    // is freed, or put on the orphan list if its vnode is still in use.
    void note_unlinked(u32 number)
    {
        // Without memory for the note, the next reap looks at every vnode.
        if (m_just_unlinked.try_append(number).is_error())
            m_unlinked_pending = true;
        m_release_wanted.store(true);
    }
    // Inodes on the orphan list, the head last (tests).
    const lib::Vector<u32>& orphans() const { return m_orphans; }
    ErrorOr<NonnullRefPtr<Ext4Vnode>> vnode_for(u32 inode_number);
    ErrorOr<NonnullRefPtr<Ext4Vnode>> vnode_for_new(const InodeRecord& inode);

    // A data or metadata block, checked to lie inside the filesystem.
    ErrorOr<block::BlockHandle> read_block(u64 block);
    ErrorOr<block::BlockHandle> overwrite_block(u64 block);
    bool is_valid_data_block(u64 block, u64 count = 1) const;

    ErrorOr<void> read_inode(u32 number, InodeRecord& inode);
    ErrorOr<void> write_inode(InodeRecord& inode);
    // A fresh inode record for `number` (zeroed, extra size set).
    void initialize_inode(InodeRecord& inode, u32 number, u16 mode, fs::NewOwner owner);
    u32 inode_checksum_seed(const InodeRecord& inode) const;

    // Allocation (free counts and checksums kept right).
    ErrorOr<u64> allocate_block(u64 goal);
    ErrorOr<void> free_blocks(u64 first, u64 count);
    ErrorOr<u32> allocate_inode(u32 parent, bool directory);
    ErrorOr<void> free_inode(u32 number, bool directory);
    // Adds/removes filesystem blocks to an inode's i_blocks.
    void add_inode_blocks(InodeRecord& inode, i64 blocks);
    u32 group_of_inode(u32 number) const { return (number - 1) / m_geometry.inodes_per_group; }
    u64 group_of_block(u64 block) const { return (block - m_geometry.first_data_block) / m_geometry.blocks_per_group; }

    // Frees everything an inode holds (data, extent/indirect blocks, xattr
    // block reference) and the inode itself; used when its last link and
    // last reference are gone.
    ErrorOr<void> release_inode(InodeRecord& inode);
    // Turns on a read-only-compatible feature (dir_nlink when a directory's
    // link count stops counting); written with the superblock.
    void enable_ro_compat(u32 feature)
    {
        m_geometry.ro_compat |= feature;
        store32(m_superblock, sb::FEATURE_RO_COMPAT, load32(m_superblock, sb::FEATURE_RO_COMPAT) | feature);
    }
    // Writes the superblock (free counts, state, checksum) into the cache.
    ErrorOr<void> write_superblock();
    // After journal replay rewrote metadata: reads the superblock and group
    // descriptors again (from the cache) and clears needs-recovery.
    ErrorOr<void> reload_metadata();

    // Use mount(); public for lib::try_make_ref_counted.
    Ext4FileSystem(NonnullRefPtr<block::BlockDevice> device, OwnPtr<block::BlockCache> cache, const Geometry& geometry,
        const u8* raw_superblock, bool read_only);

private:
    ErrorOr<void> load_group_descriptors();
    ErrorOr<void> check_group_descriptor(u32 group);
    ErrorOr<void> mark_mounted();
    ErrorOr<void> free_orphans();
    ErrorOr<void> sync_locked();
    // DeferredWork: the releases vnode_unreferenced() asked for.
    bool pending() const override { return m_release_wanted.load(); }
    void run() override;
    ErrorOr<void> add_orphan(Ext4Vnode& vnode);
    ErrorOr<void> remove_orphan(usize index);
    // Frees the unlinked inode of `number`, whose vnode only the map holds.
    void release_unlinked(u64 number);
    void settle_unlinked(u32 number);

    // Group descriptors (Groups.cpp).
    u8* descriptor(u32 group) { return m_descriptors + usize(group) * m_geometry.desc_size; }
    u64 descriptor_u64(u32 group, usize lo, usize hi);
    u32 descriptor_u32(u32 group, usize lo, usize hi);
    void set_descriptor_u32(u32 group, usize lo, usize hi, u32 value);
    u16 descriptor_checksum(u32 group);
    ErrorOr<void> write_descriptor(u32 group);
    u64 block_bitmap_block(u32 group) { return descriptor_u64(group, gd::BLOCK_BITMAP_LO, gd::BLOCK_BITMAP_HI); }
    u64 inode_bitmap_block(u32 group) { return descriptor_u64(group, gd::INODE_BITMAP_LO, gd::INODE_BITMAP_HI); }
    u64 inode_table_block(u32 group) { return descriptor_u64(group, gd::INODE_TABLE_LO, gd::INODE_TABLE_HI); }
    // The bitmap block, built first if the group is still uninitialized.
    ErrorOr<block::BlockHandle> load_block_bitmap(u32 group);
    ErrorOr<block::BlockHandle> load_inode_bitmap(u32 group);
    void update_bitmap_checksum(u32 group, const u8* bitmap, bool block_bitmap);
    bool bitmap_checksum_matches(u32 group, const u8* bitmap, bool block_bitmap);
    ErrorOr<u64> allocate_block_in_group(u32 group, u64 goal);
    ErrorOr<u32> allocate_inode_in_group(u32 group, bool directory);
    // Recomputes the bitmap checksums that allocations left stale.
    ErrorOr<void> refresh_bitmap_checksums();

    NonnullRefPtr<block::BlockDevice> m_device;
    OwnPtr<block::BlockCache> m_cache;
    Geometry m_geometry;
    u8 m_superblock[SUPERBLOCK_SIZE];
    u8* m_descriptors { nullptr };
    // Per group: GROUP_* bits below.
    u8* m_group_state { nullptr };
    static constexpr u8 GROUP_BLOCK_BITMAP_CHECKED = 1;
    static constexpr u8 GROUP_INODE_BITMAP_CHECKED = 2;
    static constexpr u8 GROUP_BLOCK_CHECKSUM_STALE = 4;
    static constexpr u8 GROUP_INODE_CHECKSUM_STALE = 8;
    u64 m_free_blocks { 0 };
    u64 m_free_inodes { 0 };
    u64 m_reserved_blocks { 0 };
    u32 m_last_group { 0 }; // where the last block allocation succeeded
    bool m_read_only;
    bool m_mounted { false }; // mount() completed
    bool m_unmounted { false };
    bool m_journal_replayed { false };
    bool m_unlinked_pending { false }; // some vnode not in m_just_unlinked may have lost its last link
    lib::Atomic<bool> m_release_wanted { false };
    lib::Atomic<u32> m_orphan_count { 0 }; // m_orphans.size(), read unlocked
    // The orphan list in memory, the tail first: each entry's i_dtime holds
    // the one before it (0 for the first), s_last_orphan the last. All of
    // them are in m_vnodes.
    lib::Vector<u32> m_orphans;
    lib::Vector<u32, 8> m_just_unlinked; // inodes that lost their last link since the last reap
    bool m_was_clean { true };
    StringView m_name;
    mutable block::SleepLock m_lock;
    lib::HashMap<u64, RefPtr<Ext4Vnode>> m_vnodes;
    RefPtr<Ext4Vnode> m_root;
};

} // namespace ext4
