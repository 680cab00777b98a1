#pragma once

// A process's capability table: small integers (handles) naming kernel
// objects, each with rights, flags and an optional expiry (seed section
// 1.1; docs/ipc.md). Generic over the object reference T so the host tests
// can use a stand-in; the kernel uses ipc::PortRef.
//
// A handle is (generation << INDEX_BITS) | index. Each slot keeps a
// generation that advances when the slot is freed, so a closed handle's
// number stays invalid (EBADF) after the slot is reused, and the first
// generation comes from a per-table seed (random in the kernel), so a number
// seen in another process names nothing here except by rare chance. Handles
// are always positive ints.
//
// Checks, in this order, in get(): EBADF (no such handle), ETIME (expired),
// EACCES (a required right is missing).
//
// Locking: none. A table belongs to its process's single thread (Process.h);
// fork copies it from the parent's thread while the child does not run yet.
// T's destructor may take locks and wake threads, so callers drop entries
// outside any spinlock.
#include <ipc/Rights.h>
#include <kernel/lib/Utility.h>

namespace ipc {

inline constexpr u32 HANDLE_INDEX_BITS = 8;
inline constexpr u32 HANDLE_GENERATION_MASK = (1u << 22) - 1;
static_assert(IPC_HANDLE_LIMIT <= (1u << HANDLE_INDEX_BITS));

template<typename T>
class HandleTable {
public:
    struct Entry {
        T object {};
        Rights rights { 0 };
        u32 flags { 0 };
        u64 expiry_ns { 0 }; // monotonic; 0 = never

        bool is_expired(u64 now_ns) const { return expiry_ns != 0 && now_ns >= expiry_ns; }
    };

    explicit HandleTable(u32 generation_seed)
    {
        for (u32 index = 0; index < IPC_HANDLE_LIMIT; ++index)
            m_slots[index].generation = next_generation(generation_seed + index * 0x9e37u);
    }
    HandleTable(const HandleTable&) = delete;
    HandleTable& operator=(const HandleTable&) = delete;

    usize used() const { return m_used; }
    usize free_slots() const { return IPC_HANDLE_LIMIT - m_used; }

    // The lowest free slot gets `entry`; EMFILE when every slot is in use.
    ErrorOr<i32> install(Entry&& entry)
    {
        for (u32 index = 0; index < IPC_HANDLE_LIMIT; ++index) {
            Slot& slot = m_slots[index];
            if (slot.used)
                continue;
            slot.entry = lib::move(entry);
            slot.used = true;
            ++m_used;
            return handle_of(index);
        }
        return Error::from_errno(EMFILE);
    }

    // The entry of `handle` if it has every right in `required` and has not
    // expired at `now_ns`.
    ErrorOr<Entry*> get(i32 handle, Rights required, u64 now_ns)
    {
        return get_at(handle, required, [now_ns] { return now_ns; });
    }
    // As get(), asking `clock` for the time only when the handle has an
    // expiry (reading the clock may cost more than the rest of the lookup).
    template<typename Clock>
    ErrorOr<Entry*> get_at(i32 handle, Rights required, Clock clock)
    {
        Entry* entry = TRY(find(handle));
        if (entry->expiry_ns != 0 && entry->is_expired(clock()))
            return Error::from_errno(ETIME);
        if (!has_rights(entry->rights, required))
            return Error::from_errno(EACCES);
        return entry;
    }

    // The entry of `handle`, expired or not (cap_info).
    ErrorOr<Entry*> find(i32 handle)
    {
        Slot* slot = slot_of(handle);
        if (!slot)
            return Error::from_errno(EBADF);
        return &slot->entry;
    }

    // Takes `handle` out of the table; its number becomes invalid.
    ErrorOr<Entry> remove(i32 handle)
    {
        Slot* slot = slot_of(handle);
        if (!slot)
            return Error::from_errno(EBADF);
        Entry entry = lib::move(slot->entry);
        slot->entry = Entry {};
        release(*slot);
        return entry;
    }

    // Undoes remove(handle) (a send that failed after taking capabilities
    // out): the entry comes back under the same number. The slot must still
    // be free, which holds because only the owning thread changes the table.
    void restore(i32 handle, Entry&& entry)
    {
        u32 index = static_cast<u32>(handle) & ((1u << HANDLE_INDEX_BITS) - 1);
        Slot& slot = m_slots[index];
        LIB_VERIFY(!slot.used);
        slot.generation = static_cast<u32>(handle) >> HANDLE_INDEX_BITS;
        slot.entry = lib::move(entry);
        slot.used = true;
        ++m_used;
    }

    // fork: the child's table gets a copy of every entry `keep` accepts,
    // under the same handle numbers; copy(entry) makes the child's object.
    template<typename Keep, typename Copy>
    void copy_from(const HandleTable& parent, Keep keep, Copy copy)
    {
        for (u32 index = 0; index < IPC_HANDLE_LIMIT; ++index) {
            const Slot& from = parent.m_slots[index];
            Slot& to = m_slots[index];
            LIB_VERIFY(!to.used);
            to.generation = from.generation;
            if (!from.used)
                continue;
            if (!keep(from.entry)) {
                // The child's next handle in this slot must not reuse the
                // number of the parent's handle it did not inherit.
                to.generation = next_generation(from.generation);
                continue;
            }
            to.entry.object = copy(from.entry);
            to.entry.rights = from.entry.rights;
            to.entry.flags = from.entry.flags;
            to.entry.expiry_ns = from.entry.expiry_ns;
            to.used = true;
            ++m_used;
        }
    }

    // Removes every entry `drop` accepts (execve: close-on-exec), or all.
    template<typename Drop>
    void remove_if(Drop drop)
    {
        for (Slot& slot : m_slots) {
            if (!slot.used || !drop(slot.entry))
                continue;
            slot.entry = Entry {};
            release(slot);
        }
    }
    void clear()
    {
        remove_if([](const Entry&) { return true; });
    }

private:
    struct Slot {
        Entry entry {};
        u32 generation { 1 };
        bool used { false };
    };

    static u32 next_generation(u32 generation)
    {
        generation = (generation + 1) & HANDLE_GENERATION_MASK;
        return generation ? generation : 1;
    }

    i32 handle_of(u32 index) const
    {
        return static_cast<i32>((m_slots[index].generation << HANDLE_INDEX_BITS) | index);
    }

    Slot* slot_of(i32 handle)
    {
        if (handle <= 0)
            return nullptr;
        u32 index = static_cast<u32>(handle) & ((1u << HANDLE_INDEX_BITS) - 1);
        if (index >= IPC_HANDLE_LIMIT)
            return nullptr;
        Slot& slot = m_slots[index];
        if (!slot.used || handle_of(index) != handle)
            return nullptr;
        return &slot;
    }

    void release(Slot& slot)
    {
        slot.used = false;
        slot.generation = next_generation(slot.generation);
        --m_used;
    }

    Slot m_slots[IPC_HANDLE_LIMIT];
    usize m_used { 0 };
};

} // namespace ipc
