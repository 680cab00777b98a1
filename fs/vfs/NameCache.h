#pragma once

// The name cache: recent directory lookups, (directory vnode, name) -> child
// vnode, in front of Vnode::lookup for the path walk. Linux's dcache plays
// this role; Osprey's is a small fixed table, since its job is only to spare
// filesystems (ext4's hashed directories, ramfs's linear scans) the repeated
// lookups of hot paths.
//
// Correctness: only filesystems whose namespace changes solely through the
// VFS use it (FileSystem::caches_names(); procfs, whose entries come and go
// with processes, does not). The VFS forgets an entry when it removes or
// renames that name (unlink, rmdir, rename, exchange) and every entry of a
// filesystem when it unmounts it. There are no negative entries, so creating
// a name needs no invalidation. Names longer than MAX_CACHED_NAME are not
// cached.
//
// Races: the VFS forgets a name after the filesystem removed it. A walk
// that looked the name up before the removal must not cache it after: each
// forget bumps a generation, and insert() drops an entry whose lookup began
// under an older one.
//
// An entry holds references to both vnodes (so a cached directory's address
// cannot be reused by another vnode while the entry exists).
//
// Table: SLOTS entries, 4-way set associative by a hash of the directory and
// the name; a full set replaces its entries round robin.
//
// Locking: m_lock (a spinlock) guards the table. Nothing is allocated or
// freed under it: references an operation drops are moved out first and
// released after the lock.
#include <fs/vfs/Vnode.h>
#include <kernel/lib/Spinlock.h>

namespace fs {

class NameCache {
public:
    static constexpr usize WAYS = 4;
    static constexpr usize SETS = 256;
    static constexpr usize MAX_CACHED_NAME = 39;

    NameCache() = default;
    NameCache(const NameCache&) = delete;
    NameCache& operator=(const NameCache&) = delete;
    ~NameCache() { clear(); }

    RefPtr<Vnode> find(const Vnode& directory, StringView name);
    // The generation to pass to insert(), read before the lookup.
    u64 generation() const;
    void insert(Vnode& directory, StringView name, Vnode& child, u64 looked_up_at);
    void forget(const Vnode& directory, StringView name);
    void forget_file_system(const FileSystem& file_system);
    void clear();

    u64 hits() const { return m_hits; }
    u64 misses() const { return m_misses; }

private:
    struct Entry {
        RefPtr<Vnode> directory;
        RefPtr<Vnode> child;
        u32 hash { 0 };
        u8 length { 0 };
        char name[MAX_CACHED_NAME];

        bool matches(const Vnode& dir, StringView text, u32 text_hash) const;
    };

    static u32 hash_of(const Vnode& directory, StringView name);

    mutable Spinlock m_lock;
    Entry m_entries[SETS * WAYS]; // guarded by m_lock
    u8 m_next_victim[SETS] {};    // guarded by m_lock
    u64 m_hits { 0 };             // guarded by m_lock
    u64 m_misses { 0 };           // guarded by m_lock
    u64 m_generation { 0 };       // guarded by m_lock
};

} // namespace fs
