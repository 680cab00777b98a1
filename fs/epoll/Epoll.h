#pragma once

// An epoll instance (epoll(7)): the open file kind epoll_create1 returns.
// Its interest list holds one entry per (fd, open file description) pair
// added with epoll_ctl; each entry watches the description's readiness key
// (ReadinessWatch.h) and, when told of a change, joins the instance's ready
// list. epoll_wait (collect) takes entries off the ready list, asks each
// description for its events and reports the ones the entry asked for:
//   - level-triggered entries go back on the ready list after a report, so
//     they are reported again while the condition holds;
//   - EPOLLET entries are reported once per change notification;
//   - EPOLLONESHOT entries are disabled after one report until EPOLL_CTL_MOD.
// An instance is itself pollable (POLLIN while an entry has events) and may
// be nested in another; a nested instance relays its changes to its
// watchers. Adding an instance that would make a cycle is ELOOP, as is a
// chain deeper than Linux's EP_MAX_NESTS.
//
// Entries do not keep their description alive. When the last reference to
// a description goes (OpenFile::will_be_destroyed), every entry for it in
// every instance is removed, as Linux does in eventpoll_release; closing one
// of several fds for the description leaves the entry in place.
//
// Locking: one global epoll lock (a spinlock) guards every interest list,
// the entries' fields and the index of entries by description; it is held
// while descriptions are asked for their events (poll_readiness never
// waits), and a description cannot finish dying while it is held. Each
// instance's ready list has its own leaf lock, taken under the readiness
// registry lock by the change notifications. Order: epoll lock, then a
// description's own locks, then the registry lock, then a ready-list lock.
#include <fs/vfs/OpenFile.h>
#include <fs/vfs/ReadinessWatch.h>
#include <kernel/lib/IntrusiveList.h>
#include <kernel/lib/Spinlock.h>

namespace fs {

// epoll_event.events bits beyond the poll ones (uapi/linux/eventpoll.h).
namespace epoll_flag {
inline constexpr u32 Exclusive = 1u << 28;
inline constexpr u32 WakeUp = 1u << 29;
inline constexpr u32 OneShot = 1u << 30;
inline constexpr u32 EdgeTriggered = 1u << 31;
} // namespace epoll_flag

enum class EpollOperation : int {
    Add = 1,
    Delete = 2,
    Modify = 3,
};

// struct epoll_event: packed on x86_64 (12 bytes).
struct [[gnu::packed]] EpollEvent {
    u32 events;
    u64 data;
};
static_assert(sizeof(EpollEvent) == 12);

// Linux's EP_MAX_NESTS: how many instances may sit above a watched file.
inline constexpr u32 EPOLL_MAX_NESTING = 4;

class EpollFile final : public OpenFile {
public:
    // `flags` may hold O_CLOEXEC only (the fd table's to honour); EINVAL.
    static ErrorOr<NonnullRefPtr<EpollFile>> try_create(u32 flags);
    ~EpollFile() override;

    // epoll_ctl for `target`, open as `fd`. `event` is null for Delete.
    // EEXIST, ENOENT, EINVAL, ELOOP, EPERM, ENOMEM as Linux.
    ErrorOr<void> control(EpollOperation operation, int fd, OpenFile& target, const EpollEvent* event);
    // Moves up to `capacity` events into `events`; the count (0 if none is
    // ready). Never waits.
    usize collect(EpollEvent* events, usize capacity);

    ErrorOr<usize> read(Bytes buffer) override;
    ErrorOr<usize> write(ReadonlyBytes data) override;
    ErrorOr<Attributes> stat() const override;
    u32 poll_readiness() const override;
    StringView kind_name() const override { return "epoll"; }

    // Entries in the interest list (tests and leak checks).
    usize interest_count() const;

    // One interest-list entry.
    struct Entry final : public ReadinessWatcher {
        ReadinessRelay* readiness_changed_locked(const void* key) override;

        EpollFile* owner { nullptr };
        const OpenFile* file { nullptr }; // not owned; see release_epoll_entries
        int fd { -1 };
        u32 events { 0 }; // asked-for events | EPOLLERR | EPOLLHUP | flags
        u64 data { 0 };
        ReadinessWatch watch;
        lib::IntrusiveListNode interest_node; // in owner->m_interest
        lib::IntrusiveListNode ready_node;    // in owner->m_ready or a scan's local list
        lib::IntrusiveListNode file_node;     // in the index by description
    };

private:
    using InterestList = lib::IntrusiveList<Entry, &Entry::interest_node>;
    using ReadyList = lib::IntrusiveList<Entry, &Entry::ready_node>;
    friend void release_epoll_entries(const OpenFile& file);

    explicit EpollFile(u32 flags);
    void mark_ready(Entry& entry);
    u32 readiness_locked(u32 depth);
    u32 entry_events_locked(const Entry& entry, u32 depth);
    bool reaches_locked(const EpollFile& other, u32 depth) const;
    u32 depth_below_locked() const;
    u32 depth_above_locked() const;
    void remove_entry_locked(Entry& entry);

    InterestList m_interest;       // guarded by the epoll lock
    mutable Spinlock m_ready_lock; // guards m_ready and the entries' ready links
    ReadyList m_ready;             // entries that may have events, oldest first
    ReadinessRelay m_relay;        // tells this instance's watchers
};

// Called when the last reference to `file` goes: drops its epoll entries.
void release_epoll_entries(const OpenFile& file);

// Entries alive in all instances (leak checks).
usize live_epoll_entry_count();

} // namespace fs
