// The name cache; see NameCache.h.
#include <fs/vfs/FileSystem.h>
#include <fs/vfs/NameCache.h>

namespace fs {

u32 NameCache::hash_of(const Vnode& directory, StringView name)
{
    // FNV-1a over the name, seeded with the directory's address.
    u64 seed = reinterpret_cast<uptr>(&directory);
    u32 hash = 2166136261u ^ static_cast<u32>(seed ^ (seed >> 32));
    for (char c : name) {
        hash ^= static_cast<u8>(c);
        hash *= 16777619u;
    }
    return hash;
}

bool NameCache::Entry::matches(const Vnode& dir, StringView text, u32 text_hash) const
{
    if (directory.ptr() != &dir || hash != text_hash || length != text.length())
        return false;
    for (usize i = 0; i < length; ++i) {
        if (name[i] != text[i])
            return false;
    }
    return true;
}

RefPtr<Vnode> NameCache::find(const Vnode& directory, StringView name)
{
    if (name.length() > MAX_CACHED_NAME)
        return nullptr;
    u32 hash = hash_of(directory, name);
    Entry* set = &m_entries[(hash % SETS) * WAYS];
    SpinlockGuard guard(m_lock);
    for (usize way = 0; way < WAYS; ++way) {
        if (set[way].matches(directory, name, hash)) {
            ++m_hits;
            return set[way].child;
        }
    }
    ++m_misses;
    return nullptr;
}

u64 NameCache::generation() const
{
    SpinlockGuard guard(m_lock);
    return m_generation;
}

void NameCache::insert(Vnode& directory, StringView name, Vnode& child, u64 looked_up_at)
{
    if (name.length() > MAX_CACHED_NAME)
        return;
    u32 hash = hash_of(directory, name);
    usize set_index = hash % SETS;
    Entry* set = &m_entries[set_index * WAYS];
    // The references taken here and the ones the replaced entry drops
    // change hands outside the lock.
    RefPtr<Vnode> new_directory = &directory;
    RefPtr<Vnode> new_child = &child;
    {
        SpinlockGuard guard(m_lock);
        if (m_generation != looked_up_at)
            return; // a name was forgotten meanwhile: this lookup may be stale
        usize target = WAYS;
        for (usize way = 0; way < WAYS && target == WAYS; ++way) {
            if (set[way].matches(directory, name, hash) || !set[way].directory)
                target = way;
        }
        if (target == WAYS) {
            target = m_next_victim[set_index];
            m_next_victim[set_index] = static_cast<u8>((target + 1) % WAYS);
        }
        Entry& entry = set[target];
        lib::swap(entry.directory, new_directory);
        lib::swap(entry.child, new_child);
        entry.hash = hash;
        entry.length = static_cast<u8>(name.length());
        for (usize i = 0; i < name.length(); ++i)
            entry.name[i] = name[i];
    }
}

void NameCache::forget(const Vnode& directory, StringView name)
{
    if (name.length() > MAX_CACHED_NAME)
        return;
    u32 hash = hash_of(directory, name);
    Entry* set = &m_entries[(hash % SETS) * WAYS];
    RefPtr<Vnode> dropped_directory;
    RefPtr<Vnode> dropped_child;
    SpinlockGuard guard(m_lock);
    ++m_generation;
    for (usize way = 0; way < WAYS; ++way) {
        if (set[way].matches(directory, name, hash)) {
            lib::swap(set[way].directory, dropped_directory);
            lib::swap(set[way].child, dropped_child);
            break;
        }
    }
    // The guard is released before the references (declared earlier) drop.
}

void NameCache::forget_file_system(const FileSystem& file_system)
{
    // A batch at a time, so the dropped references fit a small local array.
    constexpr usize BATCH = 16;
    for (;;) {
        RefPtr<Vnode> dropped[BATCH * 2];
        usize count = 0;
        {
            SpinlockGuard guard(m_lock);
            ++m_generation;
            for (Entry& entry : m_entries) {
                if (count == BATCH)
                    break;
                if (entry.directory && &entry.directory->file_system() == &file_system) {
                    lib::swap(entry.directory, dropped[count * 2]);
                    lib::swap(entry.child, dropped[count * 2 + 1]);
                    ++count;
                }
            }
        }
        if (count < BATCH)
            return;
    }
}

void NameCache::clear()
{
    constexpr usize BATCH = 16;
    for (usize start = 0; start < SETS * WAYS; start += BATCH) {
        RefPtr<Vnode> dropped[BATCH * 2];
        SpinlockGuard guard(m_lock);
        ++m_generation;
        for (usize i = 0; i < BATCH; ++i) {
            lib::swap(m_entries[start + i].directory, dropped[i * 2]);
            lib::swap(m_entries[start + i].child, dropped[i * 2 + 1]);
        }
    }
}

} // namespace fs
