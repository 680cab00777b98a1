#pragma once

// A buffer cache over one BlockDevice, in blocks of the size its filesystem
// chose (1 KiB to 64 KiB; a multiple of the sector size).
//
//   - Reads return a pinned BlockHandle; a pinned block is never evicted, so
//     its bytes stay valid until the handle goes away.
//   - Writes are write-back: a caller changes the bytes and marks the handle
//     dirty; the block reaches the device when it is evicted or on sync(),
//     which writes every dirty block in ascending block order (contiguous
//     runs as one request) and then flushes the device.
//   - Eviction is least-recently-used among unpinned blocks. Memory is
//     bounded by the capacity given at creation; only blocks pinned at the
//     same time may exceed it (a filesystem pins a handful).
//   - A miss right after a miss on the previous block is a sequential read:
//     the cache then reads up to read_ahead_blocks following blocks (those
//     not cached) in one device request.
//   - Device errors come back to the caller: a failed read caches nothing; a
//     failed write-back leaves the block dirty and returns the error.
//
// Locking: none inside. The owner (one filesystem) serializes every call
// (ext4 with its SleepLock); handles must be dropped under the same lock.
#include <fs/block/BlockDevice.h>
#include <kernel/lib/OwnPtr.h>

namespace block {

class BlockCache;

class [[nodiscard]] BlockHandle {
public:
    BlockHandle() = default;
    BlockHandle(BlockHandle&& other);
    BlockHandle& operator=(BlockHandle&& other);
    BlockHandle(const BlockHandle&) = delete;
    BlockHandle& operator=(const BlockHandle&) = delete;
    ~BlockHandle() { release(); }

    bool is_valid() const { return m_entry != nullptr; }
    u64 block() const;
    Bytes bytes();
    ReadonlyBytes bytes() const;
    u8* data() { return bytes().data(); }
    const u8* data() const { return bytes().data(); }
    // Records that the bytes changed; they are written back later.
    void mark_dirty();
    // What the owner last validated these bytes as (a nonzero kind of its
    // choosing: a directory block, a tree node), so a cached block need not
    // be checked again. Reset to 0 when the bytes come from the device and
    // whenever they change (mark_dirty), so a block is re-checked after any
    // write and never trusted as a kind it was not checked as.
    u8 checked_kind() const;
    void mark_checked(u8 kind);
    void release();

private:
    friend class BlockCache;
    BlockHandle(BlockCache& cache, void* entry)
        : m_cache(&cache)
        , m_entry(entry)
    {
    }

    BlockCache* m_cache { nullptr };
    void* m_entry { nullptr };
};

class BlockCache {
public:
    struct Statistics {
        u64 hits { 0 };
        u64 misses { 0 };
        u64 device_reads { 0 };  // read requests sent to the device
        u64 device_writes { 0 }; // write requests sent to the device
        u64 blocks_read_ahead { 0 };
        u64 evictions { 0 };
    };

    static constexpr u32 DEFAULT_READ_AHEAD_BLOCKS = 32;

    // EINVAL for a block size that is not a power of two between the sector
    // size and 64 KiB, or a capacity below 4 blocks.
    static ErrorOr<OwnPtr<BlockCache>> try_create(NonnullRefPtr<BlockDevice> device, u32 block_size,
        usize capacity_blocks, u32 read_ahead_blocks = DEFAULT_READ_AHEAD_BLOCKS);
    // Use try_create (public only for lib::try_make).
    BlockCache(NonnullRefPtr<BlockDevice> device, u32 block_size, usize capacity, u32 read_ahead_blocks);
    // Drops every block without writing it back: the owner syncs first.
    ~BlockCache();

    BlockDevice& device() { return *m_device; }
    u32 block_size() const { return m_block_size; }
    u64 block_count() const { return m_block_count; }
    usize capacity() const { return m_capacity; }

    // The block's bytes, read from the device on a miss. EIO past the end.
    ErrorOr<BlockHandle> read(u64 block);
    // A block the caller will overwrite entirely: zero-filled when not cached
    // (no device read) and already marked dirty.
    ErrorOr<BlockHandle> overwrite(u64 block);
    // Writes back every dirty block, ascending, then flushes the device.
    ErrorOr<void> sync();
    // Writes back dirty blocks without the device flush.
    ErrorOr<void> write_back();
    // Forgets unpinned clean blocks (to measure reads from the device).
    void drop_clean();
    // Forgets a block whatever its state (its disk block was freed, or the
    // device was changed underneath): no write-back. Pinned blocks stay.
    void forget(u64 block);

    usize cached_blocks() const { return m_entry_count; }
    usize dirty_blocks() const { return m_dirty_count; }
    const Statistics& statistics() const { return m_statistics; }

private:
    friend class BlockHandle;
    struct Entry {
        u64 block;
        u8* data;
        u32 pins;
        bool dirty;
        u8 checked_kind;
        Entry* lru_previous;
        Entry* lru_next;
        Entry* hash_next;
    };

    ErrorOr<void> allocate_table();

    Entry* find(u64 block);
    void hash_insert(Entry& entry);
    void hash_remove(Entry& entry);
    void lru_remove(Entry& entry);
    void lru_append(Entry& entry);
    void destroy_entry(Entry& entry);
    // An unused entry for `block`: a new one while under capacity, else the
    // least recently used unpinned one (written back first if dirty).
    ErrorOr<Entry*> obtain_entry(u64 block);
    ErrorOr<void> write_entry(Entry& entry);
    ErrorOr<void> device_read(u64 block, u32 count, u8* buffer);
    ErrorOr<void> device_write(u64 block, u32 count, const u8* buffer);
    void read_ahead_after(u64 block);
    void unpin(Entry& entry);

    NonnullRefPtr<BlockDevice> m_device;
    u32 m_block_size;
    u64 m_block_count;
    usize m_capacity;
    u32 m_read_ahead_blocks;

    Entry** m_buckets { nullptr };
    usize m_bucket_count { 0 };
    Entry* m_lru_head { nullptr }; // least recently used
    Entry* m_lru_tail { nullptr };
    usize m_entry_count { 0 };
    usize m_dirty_count { 0 };
    u64 m_last_miss { ~u64(0) };
    Statistics m_statistics;
};

} // namespace block
