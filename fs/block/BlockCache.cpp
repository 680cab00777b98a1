// The buffer cache: a hash of entries chained by block number plus an LRU
// list of every entry (pinned ones included; eviction skips them).
#include <fs/block/BlockCache.h>
#include <kernel/lib/Allocator.h>

namespace block {

namespace {

constexpr u32 MAX_BLOCK_SIZE = 65536;
constexpr usize MIN_CAPACITY = 4;
// The longest run of blocks one write-back request carries.
constexpr u32 MAX_WRITE_RUN = 64;

bool is_power_of_two(u32 value)
{
    return value && (value & (value - 1)) == 0;
}

} // namespace

// BlockHandle ---------------------------------------------------------------

BlockHandle::BlockHandle(BlockHandle&& other)
    : m_cache(other.m_cache)
    , m_entry(other.m_entry)
{
    other.m_cache = nullptr;
    other.m_entry = nullptr;
}

BlockHandle& BlockHandle::operator=(BlockHandle&& other)
{
    if (this != &other) {
        release();
        m_cache = other.m_cache;
        m_entry = other.m_entry;
        other.m_cache = nullptr;
        other.m_entry = nullptr;
    }
    return *this;
}

u64 BlockHandle::block() const
{
    return static_cast<const BlockCache::Entry*>(m_entry)->block;
}

Bytes BlockHandle::bytes()
{
    return { static_cast<BlockCache::Entry*>(m_entry)->data, m_cache->m_block_size };
}

ReadonlyBytes BlockHandle::bytes() const
{
    return { static_cast<const BlockCache::Entry*>(m_entry)->data, m_cache->m_block_size };
}

void BlockHandle::mark_dirty()
{
    auto* entry = static_cast<BlockCache::Entry*>(m_entry);
    entry->checked_kind = 0;
    if (!entry->dirty) {
        entry->dirty = true;
        ++m_cache->m_dirty_count;
    }
}

u8 BlockHandle::checked_kind() const
{
    return static_cast<const BlockCache::Entry*>(m_entry)->checked_kind;
}

void BlockHandle::mark_checked(u8 kind)
{
    static_cast<BlockCache::Entry*>(m_entry)->checked_kind = kind;
}

void BlockHandle::release()
{
    if (m_entry)
        m_cache->unpin(*static_cast<BlockCache::Entry*>(m_entry));
    m_entry = nullptr;
    m_cache = nullptr;
}

// BlockCache ----------------------------------------------------------------

ErrorOr<OwnPtr<BlockCache>> BlockCache::try_create(
    NonnullRefPtr<BlockDevice> device, u32 block_size, usize capacity_blocks, u32 read_ahead_blocks)
{
    u32 sector_size = device->sector_size();
    if (!is_power_of_two(block_size) || block_size > MAX_BLOCK_SIZE || sector_size == 0 || block_size < sector_size
        || block_size % sector_size != 0 || capacity_blocks < MIN_CAPACITY)
        return Error::from_errno(EINVAL);
    auto cache = TRY(try_make<BlockCache>(lib::move(device), block_size, capacity_blocks,
        read_ahead_blocks < capacity_blocks / 2 ? read_ahead_blocks : u32(capacity_blocks / 2)));
    TRY(cache->allocate_table());
    return cache;
}

BlockCache::BlockCache(NonnullRefPtr<BlockDevice> device, u32 block_size, usize capacity, u32 read_ahead_blocks)
    : m_device(lib::move(device))
    , m_block_size(block_size)
    , m_block_count(m_device->size_in_bytes() / block_size)
    , m_capacity(capacity)
    , m_read_ahead_blocks(read_ahead_blocks)
{
}

ErrorOr<void> BlockCache::allocate_table()
{
    usize buckets = 16;
    while (buckets < m_capacity * 2)
        buckets *= 2;
    m_buckets = static_cast<Entry**>(lib::allocate(buckets * sizeof(void*), alignof(void*)));
    if (!m_buckets)
        return Error::from_errno(ENOMEM);
    for (usize i = 0; i < buckets; ++i)
        m_buckets[i] = nullptr;
    m_bucket_count = buckets;
    return {};
}

BlockCache::~BlockCache()
{
    while (m_lru_head) {
        Entry* entry = m_lru_head;
        lru_remove(*entry);
        lib::deallocate(entry->data);
        lib::deallocate(entry);
    }
    lib::deallocate(m_buckets);
}

BlockCache::Entry* BlockCache::find(u64 block)
{
    for (Entry* entry = m_buckets[block & (m_bucket_count - 1)]; entry; entry = entry->hash_next) {
        if (entry->block == block)
            return entry;
    }
    return nullptr;
}

void BlockCache::hash_insert(Entry& entry)
{
    Entry*& head = m_buckets[entry.block & (m_bucket_count - 1)];
    entry.hash_next = head;
    head = &entry;
}

void BlockCache::hash_remove(Entry& entry)
{
    Entry** link = &m_buckets[entry.block & (m_bucket_count - 1)];
    while (*link != &entry)
        link = &(*link)->hash_next;
    *link = entry.hash_next;
    entry.hash_next = nullptr;
}

void BlockCache::lru_remove(Entry& entry)
{
    if (entry.lru_previous)
        entry.lru_previous->lru_next = entry.lru_next;
    else
        m_lru_head = entry.lru_next;
    if (entry.lru_next)
        entry.lru_next->lru_previous = entry.lru_previous;
    else
        m_lru_tail = entry.lru_previous;
    entry.lru_previous = entry.lru_next = nullptr;
}

void BlockCache::lru_append(Entry& entry)
{
    entry.lru_previous = m_lru_tail;
    entry.lru_next = nullptr;
    if (m_lru_tail)
        m_lru_tail->lru_next = &entry;
    else
        m_lru_head = &entry;
    m_lru_tail = &entry;
}

void BlockCache::destroy_entry(Entry& entry)
{
    hash_remove(entry);
    lru_remove(entry);
    if (entry.dirty)
        --m_dirty_count;
    --m_entry_count;
    lib::deallocate(entry.data);
    lib::deallocate(&entry);
}

ErrorOr<BlockCache::Entry*> BlockCache::obtain_entry(u64 block)
{
    Entry* entry = nullptr;
    if (m_entry_count >= m_capacity) {
        for (Entry* candidate = m_lru_head; candidate; candidate = candidate->lru_next) {
            if (candidate->pins == 0) {
                entry = candidate;
                break;
            }
        }
    }
    if (entry) {
        if (entry->dirty) {
            TRY(write_entry(*entry));
        }
        hash_remove(*entry);
        lru_remove(*entry);
        ++m_statistics.evictions;
    } else {
        entry = static_cast<Entry*>(lib::allocate(sizeof(Entry), alignof(Entry)));
        if (!entry)
            return Error::from_errno(ENOMEM);
        entry->data = static_cast<u8*>(lib::allocate(m_block_size, 64));
        if (!entry->data) {
            lib::deallocate(entry);
            return Error::from_errno(ENOMEM);
        }
        ++m_entry_count;
    }
    entry->block = block;
    entry->pins = 0;
    entry->dirty = false;
    entry->checked_kind = 0;
    entry->lru_previous = entry->lru_next = entry->hash_next = nullptr;
    return entry;
}

ErrorOr<void> BlockCache::device_read(u64 block, u32 count, u8* buffer)
{
    u64 sectors_per_block = m_block_size / m_device->sector_size();
    ++m_statistics.device_reads;
    return m_device->read_sectors(block * sectors_per_block, { buffer, usize(count) * m_block_size });
}

ErrorOr<void> BlockCache::device_write(u64 block, u32 count, const u8* buffer)
{
    u64 sectors_per_block = m_block_size / m_device->sector_size();
    ++m_statistics.device_writes;
    return m_device->write_sectors(block * sectors_per_block, { buffer, usize(count) * m_block_size });
}

ErrorOr<void> BlockCache::write_entry(Entry& entry)
{
    TRY(device_write(entry.block, 1, entry.data));
    entry.dirty = false;
    --m_dirty_count;
    return {};
}

void BlockCache::unpin(Entry& entry)
{
    LIB_VERIFY(entry.pins > 0);
    --entry.pins;
}

ErrorOr<BlockHandle> BlockCache::read(u64 block)
{
    if (block >= m_block_count)
        return Error::from_errno(EIO);
    if (Entry* entry = find(block)) {
        ++m_statistics.hits;
        lru_remove(*entry);
        lru_append(*entry);
        ++entry->pins;
        return BlockHandle(*this, entry);
    }
    ++m_statistics.misses;
    bool sequential = m_last_miss != ~u64(0) && block == m_last_miss + 1;
    m_last_miss = block;
    Entry* entry = TRY(obtain_entry(block));
    if (auto result = device_read(block, 1, entry->data); result.is_error()) {
        lib::deallocate(entry->data);
        lib::deallocate(entry);
        --m_entry_count;
        return result.release_error();
    }
    hash_insert(*entry);
    lru_append(*entry);
    entry->pins = 1;
    if (sequential)
        read_ahead_after(block);
    return BlockHandle(*this, entry);
}

void BlockCache::read_ahead_after(u64 block)
{
    // The window: following blocks up to the first cached one or the end.
    u32 count = 0;
    while (count < m_read_ahead_blocks && block + 1 + count < m_block_count && !find(block + 1 + count))
        ++count;
    if (count == 0)
        return;
    u8* buffer = static_cast<u8*>(lib::allocate(usize(count) * m_block_size, 64));
    if (!buffer)
        return; // read-ahead is an optimization: skip it when memory is short
    if (device_read(block + 1, count, buffer).is_error()) {
        lib::deallocate(buffer);
        return;
    }
    for (u32 i = 0; i < count; ++i) {
        auto entry = obtain_entry(block + 1 + i);
        if (entry.is_error())
            break;
        Entry* fresh = entry.value();
        __builtin_memcpy(fresh->data, buffer + usize(i) * m_block_size, m_block_size);
        hash_insert(*fresh);
        lru_append(*fresh);
        ++m_statistics.blocks_read_ahead;
    }
    // The next miss continues the sequence past the window.
    m_last_miss = block + count;
    lib::deallocate(buffer);
}

ErrorOr<BlockHandle> BlockCache::overwrite(u64 block)
{
    if (block >= m_block_count)
        return Error::from_errno(EIO);
    Entry* entry = find(block);
    if (entry) {
        lru_remove(*entry);
    } else {
        entry = TRY(obtain_entry(block));
        hash_insert(*entry);
    }
    lru_append(*entry);
    __builtin_memset(entry->data, 0, m_block_size);
    entry->checked_kind = 0;
    ++entry->pins;
    BlockHandle handle(*this, entry);
    handle.mark_dirty();
    return handle;
}

ErrorOr<void> BlockCache::write_back()
{
    if (m_dirty_count == 0)
        return {};
    // Collect the dirty entries and sort them by block (heap sort: no
    // recursion, no extra memory beyond the array).
    usize count = m_dirty_count;
    auto** dirty = static_cast<Entry**>(lib::allocate(count * sizeof(void*), alignof(void*)));
    if (!dirty)
        return Error::from_errno(ENOMEM);
    usize found = 0;
    for (Entry* entry = m_lru_head; entry && found < count; entry = entry->lru_next) {
        if (entry->dirty)
            dirty[found++] = entry;
    }
    auto sift_down = [&](usize root, usize end) {
        for (;;) {
            usize child = 2 * root + 1;
            if (child >= end)
                return;
            if (child + 1 < end && dirty[child + 1]->block > dirty[child]->block)
                ++child;
            if (dirty[root]->block >= dirty[child]->block)
                return;
            lib::swap(dirty[root], dirty[child]);
            root = child;
        }
    };
    for (usize i = found / 2; i-- > 0;)
        sift_down(i, found);
    for (usize end = found; end > 1; --end) {
        lib::swap(dirty[0], dirty[end - 1]);
        sift_down(0, end - 1);
    }

    // Write contiguous runs as single requests through a bounce buffer; a
    // run of one block goes straight from its entry.
    u8* bounce = static_cast<u8*>(lib::allocate(usize(MAX_WRITE_RUN) * m_block_size, 64));
    ErrorOr<void> result {};
    usize index = 0;
    while (index < found) {
        usize run = 1;
        while (bounce && index + run < found && run < MAX_WRITE_RUN
            && dirty[index + run]->block == dirty[index]->block + run)
            ++run;
        if (run == 1) {
            result = write_entry(*dirty[index]);
        } else {
            for (usize i = 0; i < run; ++i)
                __builtin_memcpy(bounce + i * m_block_size, dirty[index + i]->data, m_block_size);
            result = device_write(dirty[index]->block, u32(run), bounce);
            if (!result.is_error()) {
                for (usize i = 0; i < run; ++i) {
                    dirty[index + i]->dirty = false;
                    --m_dirty_count;
                }
            }
        }
        if (result.is_error())
            break;
        index += run;
    }
    lib::deallocate(bounce);
    lib::deallocate(dirty);
    return result;
}

ErrorOr<void> BlockCache::sync()
{
    TRY(write_back());
    return m_device->flush();
}

void BlockCache::drop_clean()
{
    Entry* entry = m_lru_head;
    while (entry) {
        Entry* next = entry->lru_next;
        if (!entry->dirty && entry->pins == 0)
            destroy_entry(*entry);
        entry = next;
    }
    m_last_miss = ~u64(0);
}

void BlockCache::forget(u64 block)
{
    Entry* entry = find(block);
    if (entry && entry->pins == 0)
        destroy_entry(*entry);
}

} // namespace block
