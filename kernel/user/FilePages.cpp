// A mapped file's page cache; see FilePages.h.
#include <kernel/core/Panic.h>
#include <kernel/mm/Layout.h>
#include <kernel/mm/PhysicalMemory.h>
#include <kernel/user/CopyOnWrite.h>
#include <kernel/user/FilePages.h>
#include <kernel/user/UserMemory.h>

namespace user {

namespace {

// Serializes installing a cache on a vnode (two first mmaps at once).
constinit Spinlock s_install_lock;

// The registry of every cache, oldest first (write_back_mapped_pages).
constinit Spinlock s_registry_lock;
constinit FilePages* s_first_cache { nullptr }; // guarded by s_registry_lock
constinit FilePages* s_last_cache { nullptr };  // guarded by s_registry_lock
constinit u64 s_next_cache_id { 1 };            // guarded by s_registry_lock

u8* frame_bytes(PhysAddr frame)
{
    return mm::phys_to_virt<u8>(frame);
}

} // namespace

ErrorOr<FilePages*> FilePages::of(fs::Vnode& vnode)
{
    if (auto* existing = vnode.cached_pages())
        return static_cast<FilePages*>(existing);
    auto* made = new (std::nothrow) FilePages(vnode);
    if (!made)
        return Error::from_errno(ENOMEM);
    {
        SpinlockGuard guard(s_install_lock);
        if (!vnode.cached_pages()) {
            vnode.set_cached_pages(made);
            SpinlockGuard registry(s_registry_lock);
            made->m_cache_id = s_next_cache_id++;
            made->m_previous_cache = s_last_cache;
            (s_last_cache ? s_last_cache->m_next_cache : s_first_cache) = made;
            s_last_cache = made;
            return made;
        }
    }
    delete made;
    return static_cast<FilePages*>(vnode.cached_pages());
}

FilePages::~FilePages()
{
    if (m_cache_id) {
        SpinlockGuard registry(s_registry_lock);
        (m_previous_cache ? m_previous_cache->m_next_cache : s_first_cache) = m_next_cache;
        (m_next_cache ? m_next_cache->m_previous_cache : s_last_cache) = m_previous_cache;
    }
    // The vnode is going, so its mappings are gone or going: each frame loses
    // the cache's ownership (release_user_frames counts the mappings' shares).
    for_each_locked(0, MAX_PAGES - 1, [](u64, u64 slot) {
        release_user_frames(slot & ~WRITABLE_BIT, mm::PageSize::Size4K);
        return true;
    });
    if (!m_root)
        return;
    for (void* middle_pointer : m_root->slots) {
        auto* middle = static_cast<Node*>(middle_pointer);
        if (!middle)
            continue;
        for (void* leaf : middle->slots)
            delete static_cast<Node*>(leaf);
        delete middle;
    }
    delete m_root;
}

u64* FilePages::slot_locked(u64 index) const
{
    if (!m_root)
        return nullptr;
    auto* middle = static_cast<Node*>(m_root->slots[index / (FANOUT * FANOUT)]);
    if (!middle)
        return nullptr;
    auto* leaf = static_cast<Node*>(middle->slots[(index / FANOUT) % FANOUT]);
    if (!leaf)
        return nullptr;
    return reinterpret_cast<u64*>(&leaf->slots[index % FANOUT]);
}

ErrorOr<void> FilePages::prepare_path(u64 index)
{
    for (;;) {
        Node** missing = nullptr;
        {
            SpinlockGuard guard(m_lock);
            if (slot_locked(index))
                return {};
        }
        auto* node = new (std::nothrow) Node {};
        if (!node)
            return Error::from_errno(ENOMEM);
        SpinlockGuard guard(m_lock);
        if (!m_root) {
            missing = &m_root;
        } else {
            auto*& middle = reinterpret_cast<Node*&>(m_root->slots[index / (FANOUT * FANOUT)]);
            if (!middle)
                missing = &middle;
            else if (!middle->slots[(index / FANOUT) % FANOUT])
                missing = reinterpret_cast<Node**>(&middle->slots[(index / FANOUT) % FANOUT]);
        }
        if (missing)
            *missing = node;
        else
            delete node; // another fault built the path meanwhile
    }
}

template<typename Visit>
void FilePages::for_each_locked(u64 first, u64 last, Visit visit) const
{
    if (!m_root || first > last)
        return;
    for (u64 top = first / (FANOUT * FANOUT); top < FANOUT && top <= last / (FANOUT * FANOUT); ++top) {
        auto* middle = static_cast<Node*>(m_root->slots[top]);
        if (!middle)
            continue;
        for (u64 mid = 0; mid < FANOUT; ++mid) {
            auto* leaf = static_cast<Node*>(middle->slots[mid]);
            if (!leaf)
                continue;
            u64 base = (top * FANOUT + mid) * FANOUT;
            if (base > last || base + FANOUT <= first)
                continue;
            for (u64 low = 0; low < FANOUT; ++low) {
                u64 index = base + low;
                u64 slot = reinterpret_cast<u64>(leaf->slots[low]);
                if (slot && index >= first && index <= last && !visit(index, slot))
                    return;
            }
        }
    }
}

ErrorOr<PhysAddr> FilePages::frame_for(u64 index)
{
    if (index >= MAX_PAGES)
        return Error::from_errno(EFBIG);
    TRY(prepare_path(index));
    for (;;) {
        u64 generation;
        {
            SpinlockGuard guard(m_lock);
            u64 slot = *slot_locked(index);
            if (slot)
                return slot & ~WRITABLE_BIT;
            generation = m_generation;
        }
        if (mm::frame_stats().free < FRAMES_KEPT_FOR_KERNEL)
            return Error::from_errno(ENOMEM);
        PhysAddr frame = TRY(mm::allocate_frame());
        u8* bytes = frame_bytes(frame);
        auto count = m_vnode.read(index * PAGE_SIZE, { bytes, PAGE_SIZE });
        if (count.is_error()) {
            VERIFY(!mm::free_frame(frame).is_error());
            return count.release_error();
        }
        __builtin_memset(bytes + count.value(), 0, PAGE_SIZE - count.value());
        PhysAddr winner = 0;
        {
            SpinlockGuard guard(m_lock);
            u64* slot = slot_locked(index);
            if (*slot) {
                winner = *slot & ~WRITABLE_BIT; // another fault read it in first
            } else if (generation == m_generation) {
                *slot = frame;
                return frame;
            }
            // else a write() or truncate ran meanwhile: read again
        }
        VERIFY(!mm::free_frame(frame).is_error());
        if (winner)
            return winner;
    }
}

void FilePages::mark_writable(u64 index)
{
    SpinlockGuard guard(m_lock);
    if (u64* slot = slot_locked(index); slot && *slot)
        *slot |= WRITABLE_BIT;
}

ErrorOr<void> FilePages::write_back(u64 first, u64 count)
{
    if (count == 0 || first >= MAX_PAGES)
        return {};
    // A file without names (unlinked, or the memory behind MAP_SHARED |
    // MAP_ANONYMOUS) is read only through this cache from now on: nothing
    // would ever read what write-back stored.
    if (m_vnode.attributes().link_count == 0)
        return {};
    u64 last = min(MAX_PAGES - 1, count > MAX_PAGES - first ? MAX_PAGES - 1 : first + count - 1);
    u64 next = first;
    while (next <= last) {
        // Find the next marked page under the lock, write it unlocked.
        PhysAddr frame = 0;
        u64 index = 0;
        {
            SpinlockGuard guard(m_lock);
            for_each_locked(next, last, [&](u64 candidate, u64 slot) {
                if (!(slot & WRITABLE_BIT))
                    return true;
                frame = slot & ~WRITABLE_BIT;
                index = candidate;
                return false;
            });
        }
        if (!frame)
            return {};
        next = index + 1;
        u64 offset = index * PAGE_SIZE;
        u64 size = m_vnode.attributes().size;
        if (offset >= size)
            continue; // past the end of file: stores there are not file data
        usize length = static_cast<usize>(min<u64>(PAGE_SIZE, size - offset));
        // Straight to the vnode: the cache already holds these bytes.
        TRY(m_vnode.write(offset, { frame_bytes(frame), length }, fs::WriteMode::AtOffset));
    }
    return {};
}

void FilePages::overlay_read(u64 offset, Bytes buffer)
{
    if (buffer.is_empty())
        return;
    u64 end = offset + buffer.size();
    SpinlockGuard guard(m_lock);
    for_each_locked(offset / PAGE_SIZE, (end - 1) / PAGE_SIZE, [&](u64 index, u64 slot) {
        u64 page_start = index * PAGE_SIZE;
        u64 from = max(offset, page_start);
        u64 to = min(end, page_start + PAGE_SIZE);
        __builtin_memcpy(
            buffer.data() + (from - offset), frame_bytes(slot & ~WRITABLE_BIT) + (from - page_start), to - from);
        return true;
    });
}

void FilePages::update_after_write(u64 offset, ReadonlyBytes data)
{
    if (data.is_empty())
        return;
    u64 end = offset + data.size();
    SpinlockGuard guard(m_lock);
    ++m_generation;
    for_each_locked(offset / PAGE_SIZE, (end - 1) / PAGE_SIZE, [&](u64 index, u64 slot) {
        u64 page_start = index * PAGE_SIZE;
        u64 from = max(offset, page_start);
        u64 to = min(end, page_start + PAGE_SIZE);
        __builtin_memcpy(
            frame_bytes(slot & ~WRITABLE_BIT) + (from - page_start), data.data() + (from - offset), to - from);
        return true;
    });
}

void FilePages::update_after_truncate(u64 from)
{
    SpinlockGuard guard(m_lock);
    ++m_generation;
    for_each_locked(from / PAGE_SIZE, MAX_PAGES - 1, [&](u64 index, u64 slot) {
        u64 page_start = index * PAGE_SIZE;
        u64 start = max(from, page_start) - page_start;
        __builtin_memset(frame_bytes(slot & ~WRITABLE_BIT) + start, 0, PAGE_SIZE - start);
        return true;
    });
}

ErrorOr<void> write_back_file_pages(fs::Vnode& vnode)
{
    if (auto* cache = vnode.cached_pages())
        return static_cast<FilePages*>(cache)->write_back(0, ~u64(0));
    return {};
}

ErrorOr<void> write_back_mapped_pages(const fs::FileSystem* file_system)
{
    // In batches: references to the vnodes are taken under the registry
    // lock (skipping vnodes already being destroyed), the writing is done
    // outside it. Caches made meanwhile come later in the list, so the
    // id cursor sees each cache once.
    constexpr usize BATCH = 32;
    ErrorOr<void> result;
    u64 cursor = 0;
    for (;;) {
        fs::Vnode* batch[BATCH];
        usize count = 0;
        {
            SpinlockGuard registry(s_registry_lock);
            for (FilePages* cache = s_first_cache; cache && count < BATCH; cache = cache->m_next_cache) {
                if (cache->m_cache_id <= cursor)
                    continue;
                cursor = cache->m_cache_id;
                if (file_system && &cache->m_vnode.file_system() != file_system)
                    continue;
                if (cache->m_vnode.try_ref())
                    batch[count++] = &cache->m_vnode;
            }
        }
        if (count == 0)
            return result;
        for (usize i = 0; i < count; ++i) {
            NonnullRefPtr<fs::Vnode> vnode(lib::AdoptTag {}, *batch[i]);
            auto written = write_back_file_pages(*vnode);
            if (written.is_error() && !result.is_error())
                result = written.release_error();
        }
    }
}

} // namespace user
