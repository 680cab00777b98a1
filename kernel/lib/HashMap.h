#pragma once

// HashMap<K, V>: open addressing with linear probing and tombstones.
//
// Why open addressing rather than chaining: the whole table is one
// allocation, so inserting a new key allocates only when the table grows,
// and growth is the single point of failure. A rehash builds the new table
// completely before touching the old one, so ENOMEM leaves the map exactly as
// it was. Chaining with intrusive nodes would avoid even that allocation but
// pushes a node into every value type; the kernel's allocation-free queues use
// IntrusiveList instead.
//
// Invariants: the capacity is 0 or a power of two; used + tombstone slots
// never exceed 3/4 of it, so at least one slot is empty and every probe ends.
// remove() leaves a tombstone (probe chains stay intact); insertion reuses
// the first tombstone on its probe path; a rehash drops them all. A rehash
// sizes the table for at most 1/2 load, so at least capacity/4 operations
// pass between two rehashes (amortized O(1)). The table never shrinks except
// through clear(). No locking: the owner's lock protects the map; to insert
// under a spinlock, call try_ensure_capacity() before taking it.
//
// Iteration visits each entry once in table order; removing the entry being
// visited is safe (removal never moves entries), inserting is not.
#include <kernel/lib/Allocator.h>
#include <kernel/lib/Assertions.h>
#include <kernel/lib/Error.h>
#include <kernel/lib/Hash.h>
#include <kernel/lib/Types.h>
#include <kernel/lib/Utility.h>

namespace lib {

namespace detail {

template<typename T, bool IsConst>
struct ConditionalConst {
    using Type = T;
};
template<typename T>
struct ConditionalConst<T, true> {
    using Type = const T;
};

} // namespace detail

template<typename K, typename V, typename KeyTraits = Traits<K>>
class HashMap {
    struct Entry {
        K key;
        V value;
    };
    enum class SlotState : u8 {
        Empty = 0,
        Used,
        Tombstone,
    };
    // The slots: entries first, then one state byte per slot, in a single
    // allocation owned through `entries`.
    struct Table {
        Entry* entries { nullptr };
        SlotState* states { nullptr };
        usize capacity { 0 };
    };

public:
    constexpr HashMap() = default;
    HashMap(HashMap&& other)
        : m_table(lib::exchange(other.m_table, Table {}))
        , m_size(lib::exchange(other.m_size, usize(0)))
        , m_tombstones(lib::exchange(other.m_tombstones, usize(0)))
    {
    }
    HashMap& operator=(HashMap&& other)
    {
        if (this != &other) {
            clear();
            lib::swap(m_table, other.m_table);
            lib::swap(m_size, other.m_size);
            lib::swap(m_tombstones, other.m_tombstones);
        }
        return *this;
    }
    HashMap(const HashMap&) = delete;
    HashMap& operator=(const HashMap&) = delete;
    ~HashMap() { clear(); }

    usize size() const { return m_size; }
    bool is_empty() const { return m_size == 0; }
    usize capacity() const { return m_table.capacity; }

    // Inserts or replaces. Fails only with ENOMEM, when the table had to
    // grow; the map is then unchanged and the caller keeps key and value.
    // Key and value may refer to entries of this map.
    template<typename KK, typename VV>
    ErrorOr<void> try_set(KK&& key, VV&& value)
    {
        usize free_slot = npos;
        if (m_table.capacity) {
            usize slot = probe(key, free_slot);
            if (m_table.states[slot] == SlotState::Used) {
                V replacement(lib::forward<VV>(value));
                m_table.entries[slot].value.~V();
                new (&m_table.entries[slot].value) V(lib::move(replacement));
                return {};
            }
        }
        if ((m_size + m_tombstones + 1) * 4 <= m_table.capacity * 3) {
            if (m_table.states[free_slot] == SlotState::Tombstone)
                --m_tombstones;
            construct_entry(m_table, free_slot, lib::forward<KK>(key), lib::forward<VV>(value));
            ++m_size;
            return {};
        }
        // Grow (or drop tombstones). The new entry goes into the new table
        // first, while anything it refers to in the old one is still intact.
        Table table = TRY(allocate_table(max(m_table.capacity, capacity_for(m_size + 1))));
        construct_entry(
            table, first_empty(table, KeyTraits::hash(key)), lib::forward<KK>(key), lib::forward<VV>(value));
        move_entries_into(table);
        ++m_size;
        return {};
    }

    // Makes room so that `count` entries fit without another allocation (as
    // long as nothing is removed in between: removals leave tombstones).
    ErrorOr<void> try_ensure_capacity(usize count)
    {
        if (count > ~usize(0) / 8)
            return Error::from_errno(ENOMEM);
        if ((count + m_tombstones) * 4 <= m_table.capacity * 3)
            return {};
        usize capacity = 8;
        while (capacity * 3 < count * 4)
            capacity *= 2;
        move_entries_into(TRY(allocate_table(max(capacity, m_table.capacity))));
        return {};
    }

    V* get(const K& key)
    {
        usize slot = find(key);
        return slot == npos ? nullptr : &m_table.entries[slot].value;
    }
    const V* get(const K& key) const
    {
        usize slot = find(key);
        return slot == npos ? nullptr : &m_table.entries[slot].value;
    }
    bool contains(const K& key) const { return find(key) != npos; }

    // Returns whether the key was present.
    bool remove(const K& key)
    {
        usize slot = find(key);
        if (slot == npos)
            return false;
        m_table.entries[slot].~Entry();
        m_table.states[slot] = SlotState::Tombstone;
        --m_size;
        ++m_tombstones;
        return true;
    }

    // Destroys every entry and frees the table.
    void clear()
    {
        destroy_entries();
        if (m_table.entries)
            deallocate(m_table.entries);
        m_table = {};
        m_size = m_tombstones = 0;
    }

    template<bool IsConst>
    class IteratorBase {
        using Map = typename detail::ConditionalConst<HashMap, IsConst>::Type;
        using Value = typename detail::ConditionalConst<V, IsConst>::Type;

    public:
        struct Item {
            const K& key;
            Value& value;
        };
        Item operator*() const { return { m_map->m_table.entries[m_slot].key, m_map->m_table.entries[m_slot].value }; }
        bool operator==(const IteratorBase& other) const { return m_slot == other.m_slot; }
        IteratorBase& operator++()
        {
            m_slot = m_map->next_used(m_slot + 1);
            return *this;
        }

    private:
        friend class HashMap;
        IteratorBase(Map* map, usize slot)
            : m_map(map)
            , m_slot(slot)
        {
        }
        Map* m_map;
        usize m_slot;
    };
    using Iterator = IteratorBase<false>;
    using ConstIterator = IteratorBase<true>;

    Iterator begin() { return Iterator(this, next_used(0)); }
    Iterator end() { return Iterator(this, m_table.capacity); }
    ConstIterator begin() const { return ConstIterator(this, next_used(0)); }
    ConstIterator end() const { return ConstIterator(this, m_table.capacity); }

private:
    static constexpr usize npos = ~usize(0);

    // Smallest power-of-two capacity (at least 8) holding `count` entries at
    // no more than half load.
    static usize capacity_for(usize count)
    {
        usize capacity = 8;
        while (capacity < count * 2)
            capacity *= 2;
        return capacity;
    }

    static ErrorOr<Table> allocate_table(usize capacity)
    {
        static_assert(alignof(Entry) <= 16, "HashMap entries are allocated 16-byte aligned");
        if (capacity > ~usize(0) / (sizeof(Entry) + 1))
            return Error::from_errno(ENOMEM);
        void* memory = allocate(capacity * sizeof(Entry) + capacity, 16);
        if (!memory)
            return Error::from_errno(ENOMEM);
        Table table { static_cast<Entry*>(memory), nullptr, capacity };
        table.states = reinterpret_cast<SlotState*>(table.entries + capacity);
        for (usize i = 0; i < capacity; ++i)
            table.states[i] = SlotState::Empty;
        return table;
    }

    static usize first_empty(const Table& table, u64 hash)
    {
        usize mask = table.capacity - 1;
        usize slot = hash & mask;
        while (table.states[slot] != SlotState::Empty)
            slot = (slot + 1) & mask;
        return slot;
    }

    template<typename KK, typename VV>
    static void construct_entry(Table& table, usize slot, KK&& key, VV&& value)
    {
        new (&table.entries[slot]) Entry { K(lib::forward<KK>(key)), V(lib::forward<VV>(value)) };
        table.states[slot] = SlotState::Used;
    }

    // Moves every entry into `table`, frees the old table and adopts the new
    // one. Cannot fail: the new table was allocated before.
    void move_entries_into(Table table)
    {
        for (usize i = 0; i < m_table.capacity; ++i) {
            if (m_table.states[i] != SlotState::Used)
                continue;
            Entry& entry = m_table.entries[i];
            construct_entry(
                table, first_empty(table, KeyTraits::hash(entry.key)), lib::move(entry.key), lib::move(entry.value));
            entry.~Entry();
        }
        if (m_table.entries)
            deallocate(m_table.entries);
        m_table = table;
        m_tombstones = 0;
    }

    void destroy_entries()
    {
        for (usize i = 0; i < m_table.capacity; ++i) {
            if (m_table.states[i] == SlotState::Used)
                m_table.entries[i].~Entry();
        }
    }

    usize next_used(usize slot) const
    {
        while (slot < m_table.capacity && m_table.states[slot] != SlotState::Used)
            ++slot;
        return slot;
    }

    // Walks key's probe chain. Returns the slot holding the key, or else the
    // empty slot that ended the chain; `free_slot` gets the first slot on the
    // chain where the key could be inserted (a tombstone or that empty slot).
    template<typename KK>
    usize probe(const KK& key, usize& free_slot) const
    {
        usize mask = m_table.capacity - 1;
        usize slot = KeyTraits::hash(key) & mask;
        free_slot = npos;
        while (true) {
            switch (m_table.states[slot]) {
            case SlotState::Empty:
                if (free_slot == npos)
                    free_slot = slot;
                return slot;
            case SlotState::Tombstone:
                if (free_slot == npos)
                    free_slot = slot;
                break;
            case SlotState::Used:
                if (KeyTraits::equals(m_table.entries[slot].key, key))
                    return slot;
                break;
            }
            slot = (slot + 1) & mask;
        }
    }

    usize find(const K& key) const
    {
        if (!m_table.capacity)
            return npos;
        usize free_slot;
        usize slot = probe(key, free_slot);
        return m_table.states[slot] == SlotState::Used ? slot : npos;
    }

    Table m_table;
    usize m_size { 0 };
    usize m_tombstones { 0 };
};

} // namespace lib

using lib::HashMap;
