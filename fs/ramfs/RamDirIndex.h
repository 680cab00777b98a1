#pragma once

// The index of one ramfs directory's entries, threaded through the entries
// themselves so that linking and unlinking never allocate:
//
// - by name: a chained hash table; each chain runs through
//   RamDirEntry::m_hash_next. Lookup, create, unlink and rename are O(1).
// - by cookie: a treap (a binary search tree on the cookie that is also a
//   heap on a hash of the cookie, which keeps it balanced in expectation)
//   through m_tree_left/m_tree_right. A listing resumes at the first entry
//   whose cookie is >= c in O(log n), whether or not that cookie still exists.
//
// Only the bucket array is allocated. It grows in two steps so that nothing
// allocates under the tree lock: buckets_wanted() (under the lock) says how
// large it should be, the caller allocates that outside the lock, and
// install_buckets() (under the lock again) rehashes into it if it is still
// needed. A racing insertion may push the load past 1 for a moment; chains
// just get a little longer. Names are hashed with an unkeyed hash, so a
// user who picks colliding names slows only their own directory's lookups.
//
// No locking of its own: the filesystem's tree lock guards it.
#include <kernel/lib/StringView.h>
#include <kernel/lib/Types.h>

namespace fs::ramfs {

struct RamDirEntry;

class RamDirIndex {
public:
    RamDirIndex() = default;
    ~RamDirIndex();
    RamDirIndex(const RamDirIndex&) = delete;
    RamDirIndex& operator=(const RamDirIndex&) = delete;

    // The hash RamDirEntry::name_hash holds.
    static u64 hash_of(StringView name);

    usize size() const { return m_size; }
    usize bucket_count() const { return m_bucket_count; }

    RamDirEntry* find(StringView name) const;
    // `entry` has its cookie set; no entry with its name or cookie is indexed.
    // Never allocates; buckets_wanted() should have been honoured first.
    void insert(RamDirEntry& entry);
    void remove(RamDirEntry& entry);
    // The indexed entry with the smallest cookie >= `cookie`, or null.
    RamDirEntry* first_at_or_after(u64 cookie) const;
    // Forgets every entry (they are not touched); keeps the buckets.
    void forget_all();

    // The bucket count needed before one more insertion, or 0 if the current
    // array suffices.
    usize buckets_wanted() const;
    // Offers a zeroed array of `count` buckets. Adopts it if it is still
    // larger than needed-and-current, and returns the array the caller must
    // free: the old one, or the offered one when it was not adopted.
    void* install_buckets(RamDirEntry** buckets, usize count);

private:
    usize bucket_of(u64 hash) const { return hash & (m_bucket_count - 1); }

    RamDirEntry** m_buckets { nullptr };
    usize m_bucket_count { 0 }; // 0 or a power of two
    usize m_size { 0 };
    RamDirEntry* m_tree_root { nullptr };
};

} // namespace fs::ramfs
