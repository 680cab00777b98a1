// The name hash and cookie treap of a ramfs directory; see RamDirIndex.h.
#include <fs/ramfs/RamDirIndex.h>
#include <fs/ramfs/RamDirectory.h>
#include <kernel/lib/Allocator.h>
#include <kernel/lib/Assertions.h>
#include <kernel/lib/Hash.h>

namespace fs::ramfs {

namespace {

constexpr usize MINIMUM_BUCKETS = 16;

u64 priority_of(const RamDirEntry& entry)
{
    return lib::hash_u64(entry.cookie);
}

// Splits `tree` into the entries with cookies below `cookie` and the rest.
void split(RamDirEntry* tree, u64 cookie, RamDirEntry*& below, RamDirEntry*& rest)
{
    if (!tree) {
        below = rest = nullptr;
    } else if (tree->cookie < cookie) {
        split(tree->m_tree_right, cookie, tree->m_tree_right, rest);
        below = tree;
    } else {
        split(tree->m_tree_left, cookie, below, tree->m_tree_left);
        rest = tree;
    }
}

// Joins two treaps where every cookie in `low` is below every one in `high`.
RamDirEntry* merge(RamDirEntry* low, RamDirEntry* high)
{
    if (!low)
        return high;
    if (!high)
        return low;
    if (priority_of(*low) > priority_of(*high)) {
        low->m_tree_right = merge(low->m_tree_right, high);
        return low;
    }
    high->m_tree_left = merge(low, high->m_tree_left);
    return high;
}

void tree_insert(RamDirEntry*& tree, RamDirEntry& entry)
{
    if (!tree || priority_of(entry) > priority_of(*tree)) {
        split(tree, entry.cookie, entry.m_tree_left, entry.m_tree_right);
        tree = &entry;
        return;
    }
    tree_insert(entry.cookie < tree->cookie ? tree->m_tree_left : tree->m_tree_right, entry);
}

void tree_remove(RamDirEntry*& tree, RamDirEntry& entry)
{
    if (!tree)
        return;
    if (tree == &entry) {
        tree = merge(entry.m_tree_left, entry.m_tree_right);
        entry.m_tree_left = entry.m_tree_right = nullptr;
        return;
    }
    tree_remove(entry.cookie < tree->cookie ? tree->m_tree_left : tree->m_tree_right, entry);
}

} // namespace

RamDirIndex::~RamDirIndex()
{
    lib::deallocate(m_buckets);
}

u64 RamDirIndex::hash_of(StringView name)
{
    return lib::Traits<StringView>::hash(name);
}

RamDirEntry* RamDirIndex::find(StringView name) const
{
    if (!m_bucket_count)
        return nullptr;
    u64 hash = hash_of(name);
    for (RamDirEntry* entry = m_buckets[bucket_of(hash)]; entry; entry = entry->m_hash_next) {
        if (entry->name_hash == hash && entry->name() == name)
            return entry;
    }
    return nullptr;
}

void RamDirIndex::insert(RamDirEntry& entry)
{
    LIB_VERIFY(m_bucket_count != 0);
    RamDirEntry*& head = m_buckets[bucket_of(entry.name_hash)];
    entry.m_hash_next = head;
    head = &entry;
    tree_insert(m_tree_root, entry);
    ++m_size;
}

void RamDirIndex::remove(RamDirEntry& entry)
{
    for (RamDirEntry** link = &m_buckets[bucket_of(entry.name_hash)]; *link; link = &(*link)->m_hash_next) {
        if (*link == &entry) {
            *link = entry.m_hash_next;
            entry.m_hash_next = nullptr;
            tree_remove(m_tree_root, entry);
            --m_size;
            return;
        }
    }
    LIB_VERIFY_NOT_REACHED();
}

RamDirEntry* RamDirIndex::first_at_or_after(u64 cookie) const
{
    RamDirEntry* best = nullptr;
    for (RamDirEntry* tree = m_tree_root; tree;) {
        if (tree->cookie >= cookie) {
            best = tree;
            tree = tree->m_tree_left;
        } else {
            tree = tree->m_tree_right;
        }
    }
    return best;
}

void RamDirIndex::forget_all()
{
    for (usize i = 0; i < m_bucket_count; ++i)
        m_buckets[i] = nullptr;
    m_tree_root = nullptr;
    m_size = 0;
}

usize RamDirIndex::buckets_wanted() const
{
    if (m_size < m_bucket_count)
        return 0;
    usize count = MINIMUM_BUCKETS;
    while (count < (m_size + 1) * 2)
        count *= 2;
    return count;
}

void* RamDirIndex::install_buckets(RamDirEntry** buckets, usize count)
{
    if (count <= m_bucket_count || m_size < m_bucket_count)
        return buckets; // another thread grew it meanwhile
    usize mask = count - 1;
    for (usize i = 0; i < m_bucket_count; ++i) {
        while (RamDirEntry* entry = m_buckets[i]) {
            m_buckets[i] = entry->m_hash_next;
            RamDirEntry*& head = buckets[entry->name_hash & mask];
            entry->m_hash_next = head;
            head = entry;
        }
    }
    RamDirEntry** old = m_buckets;
    m_buckets = buckets;
    m_bucket_count = count;
    return old;
}

} // namespace fs::ramfs
