// epoll instances (see Epoll.h for the rules and the locking).
#include <fs/epoll/Epoll.h>
#include <fs/vfs/PollEvents.h>
#include <fs/vfs/Readiness.h>
#include <kernel/lib/Placement.h>

namespace fs {

namespace {

// The bits that steer an entry rather than name events (Linux EP_PRIVATE_BITS).
constexpr u32 PRIVATE_BITS
    = epoll_flag::WakeUp | epoll_flag::OneShot | epoll_flag::EdgeTriggered | epoll_flag::Exclusive;
// What an EPOLLEXCLUSIVE entry may ask for (Linux EPOLLEXCLUSIVE_OK_BITS).
constexpr u32 EXCLUSIVE_ALLOWED = poll_bits::In | poll_bits::Out | poll_bits::ALWAYS | epoll_flag::WakeUp
    | epoll_flag::EdgeTriggered | epoll_flag::Exclusive;

constexpr usize INDEX_BUCKETS = 64;
using FileIndex = lib::IntrusiveList<EpollFile::Entry, &EpollFile::Entry::file_node>;

[[clang::no_destroy]] constinit Spinlock s_epoll_lock;
[[clang::no_destroy]] constinit FileIndex s_index[INDEX_BUCKETS]; // guarded by s_epoll_lock
constinit Atomic<usize> s_entry_count { 0 };

FileIndex& index_bucket(const OpenFile* file)
{
    auto value = reinterpret_cast<uptr>(file);
    return s_index[((value >> 4) ^ (value >> 12)) % INDEX_BUCKETS];
}

bool is_epoll(const OpenFile& file)
{
    return file.kind_name() == StringView("epoll");
}

u32 load_events(const EpollFile::Entry& entry)
{
    return __atomic_load_n(&entry.events, __ATOMIC_ACQUIRE);
}

void store_events(EpollFile::Entry& entry, u32 events)
{
    __atomic_store_n(&entry.events, events, __ATOMIC_RELEASE);
}

} // namespace

ReadinessRelay* EpollFile::Entry::readiness_changed_locked(const void*)
{
    // A disabled one-shot entry waits for EPOLL_CTL_MOD (Linux ep_poll_callback).
    if (!(load_events(*this) & ~PRIVATE_BITS))
        return nullptr;
    owner->mark_ready(*this);
    return &owner->m_relay;
}

ErrorOr<NonnullRefPtr<EpollFile>> EpollFile::try_create(u32 flags)
{
    if (flags & ~open_flag::CloseOnExec)
        return Error::from_errno(EINVAL);
    return adopt_nonnull_ref_or_enomem(new (std::nothrow) EpollFile(open_flag::ReadWrite));
}

EpollFile::EpollFile(u32 flags)
    : OpenFile(flags)
{
    m_relay.key = readiness_key();
}

EpollFile::~EpollFile()
{
    SpinlockGuard guard(s_epoll_lock);
    while (Entry* entry = m_interest.first())
        remove_entry_locked(*entry);
}

void EpollFile::mark_ready(Entry& entry)
{
    SpinlockGuard guard(m_ready_lock);
    if (!entry.ready_node.is_linked())
        m_ready.push_back(entry);
}

void EpollFile::remove_entry_locked(Entry& entry)
{
    remove_readiness_watch(entry.watch);
    m_interest.remove(entry);
    index_bucket(entry.file).remove(entry);
    {
        SpinlockGuard guard(m_ready_lock);
        if (m_ready.contains(entry))
            m_ready.remove(entry);
    }
    delete &entry;
    s_entry_count.fetch_sub(1, MemoryOrder::Relaxed);
}

u32 EpollFile::entry_events_locked(const Entry& entry, u32 depth)
{
    if (is_epoll(*entry.file))
        return const_cast<EpollFile&>(static_cast<const EpollFile&>(*entry.file)).readiness_locked(depth + 1);
    return poll_bits::readiness_of(*entry.file);
}

// Linux ep_eventpoll_poll: readable while a ready-list entry has events;
// entries found without events leave the ready list.
u32 EpollFile::readiness_locked(u32 depth)
{
    if (depth > EPOLL_MAX_NESTING)
        return 0;
    usize remaining;
    {
        SpinlockGuard guard(m_ready_lock);
        remaining = m_ready.size();
    }
    while (remaining-- > 0) {
        Entry* entry;
        {
            SpinlockGuard guard(m_ready_lock);
            entry = m_ready.pop_front();
        }
        if (!entry)
            break;
        if (entry_events_locked(*entry, depth) & load_events(*entry)) {
            SpinlockGuard guard(m_ready_lock);
            if (!entry->ready_node.is_linked())
                m_ready.push_front(*entry);
            return poll_bits::In | poll_bits::ReadNormal;
        }
    }
    return 0;
}

u32 EpollFile::poll_readiness() const
{
    SpinlockGuard guard(s_epoll_lock);
    return const_cast<EpollFile*>(this)->readiness_locked(0);
}

usize EpollFile::collect(EpollEvent* events, usize capacity)
{
    SpinlockGuard guard(s_epoll_lock);
    ReadyList again; // reported level-triggered entries, back on the list at the end
    usize count = 0;
    usize remaining;
    {
        SpinlockGuard ready_guard(m_ready_lock);
        remaining = m_ready.size();
    }
    while (count < capacity && remaining-- > 0) {
        Entry* entry;
        {
            SpinlockGuard ready_guard(m_ready_lock);
            entry = m_ready.pop_front();
        }
        if (!entry)
            break;
        u32 wanted = load_events(*entry);
        u32 ready = entry_events_locked(*entry, 0) & wanted & ~PRIVATE_BITS;
        if (!ready)
            continue;
        events[count].events = ready;
        events[count].data = entry->data;
        ++count;
        if (wanted & epoll_flag::OneShot) {
            store_events(*entry, wanted & PRIVATE_BITS);
        } else if (!(wanted & epoll_flag::EdgeTriggered)) {
            SpinlockGuard ready_guard(m_ready_lock);
            if (!entry->ready_node.is_linked())
                again.push_back(*entry);
        }
    }
    SpinlockGuard ready_guard(m_ready_lock);
    while (Entry* entry = again.pop_front())
        m_ready.push_back(*entry);
    return count;
}

bool EpollFile::reaches_locked(const EpollFile& other, u32 depth) const
{
    if (this == &other)
        return true;
    if (depth > EPOLL_MAX_NESTING)
        return false;
    for (Entry& entry : const_cast<InterestList&>(m_interest)) {
        if (is_epoll(*entry.file) && static_cast<const EpollFile*>(entry.file)->reaches_locked(other, depth + 1))
            return true;
    }
    return false;
}

u32 EpollFile::depth_below_locked() const
{
    u32 deepest = 0;
    for (Entry& entry : const_cast<InterestList&>(m_interest)) {
        if (is_epoll(*entry.file)) {
            u32 depth = 1 + static_cast<const EpollFile*>(entry.file)->depth_below_locked();
            deepest = depth > deepest ? depth : deepest;
        }
    }
    return deepest;
}

u32 EpollFile::depth_above_locked() const
{
    u32 deepest = 0;
    for (Entry& entry : index_bucket(this)) {
        if (entry.file == this) {
            u32 depth = 1 + entry.owner->depth_above_locked();
            deepest = depth > deepest ? depth : deepest;
        }
    }
    return deepest;
}

ErrorOr<void> EpollFile::control(EpollOperation operation, int fd, OpenFile& target, const EpollEvent* event)
{
    if (!poll_bits::has_readiness_events(target))
        return Error::from_errno(EPERM);
    if (&target == this)
        return Error::from_errno(EINVAL);
    u32 events = event ? event->events : 0;
    if (events & epoll_flag::Exclusive) {
        if (operation == EpollOperation::Modify)
            return Error::from_errno(EINVAL);
        if (operation == EpollOperation::Add && (is_epoll(target) || (events & ~EXCLUSIVE_ALLOWED)))
            return Error::from_errno(EINVAL);
    }
    if (operation != EpollOperation::Add && operation != EpollOperation::Delete && operation != EpollOperation::Modify)
        return Error::from_errno(EINVAL);
    events |= poll_bits::ALWAYS;

    Entry* fresh = nullptr;
    if (operation == EpollOperation::Add) {
        fresh = new (std::nothrow) Entry;
        if (!fresh)
            return Error::from_errno(ENOMEM);
    }
    ErrorOr<void> result;
    {
        SpinlockGuard guard(s_epoll_lock);
        Entry* existing = nullptr;
        for (Entry& entry : m_interest) {
            if (entry.file == &target && entry.fd == fd) {
                existing = &entry;
                break;
            }
        }
        switch (operation) {
        case EpollOperation::Add:
            if (existing) {
                result = Error::from_errno(EEXIST);
                break;
            }
            if (is_epoll(target)) {
                auto& inner = static_cast<EpollFile&>(target);
                if (inner.reaches_locked(*this, 0)
                    || depth_above_locked() + 1 + inner.depth_below_locked() > EPOLL_MAX_NESTING) {
                    result = Error::from_errno(ELOOP);
                    break;
                }
            }
            fresh->owner = this;
            fresh->file = &target;
            fresh->fd = fd;
            fresh->events = events;
            fresh->data = event->data;
            fresh->watch.key = target.readiness_key();
            fresh->watch.watcher = fresh;
            m_interest.push_back(*fresh);
            index_bucket(&target).push_back(*fresh);
            s_entry_count.fetch_add(1, MemoryOrder::Relaxed);
            add_readiness_watch(fresh->watch);
            mark_ready(*fresh); // the first epoll_wait asks it
            fresh = nullptr;
            break;
        case EpollOperation::Delete:
            if (!existing)
                result = Error::from_errno(ENOENT);
            else
                remove_entry_locked(*existing);
            break;
        case EpollOperation::Modify:
            if (!existing) {
                result = Error::from_errno(ENOENT);
                break;
            }
            if (load_events(*existing) & epoll_flag::Exclusive) {
                result = Error::from_errno(EINVAL);
                break;
            }
            existing->data = event->data;
            store_events(*existing, events);
            mark_ready(*existing);
            break;
        }
    }
    delete fresh;
    if (!result.is_error() && operation != EpollOperation::Delete)
        readiness_changed(readiness_key());
    return result;
}

ErrorOr<usize> EpollFile::read(Bytes)
{
    return Error::from_errno(EINVAL);
}

ErrorOr<usize> EpollFile::write(ReadonlyBytes)
{
    return Error::from_errno(EINVAL);
}

ErrorOr<Attributes> EpollFile::stat() const
{
    // Linux's anonymous inode: no type bits, owner read and write.
    Attributes attributes;
    attributes.mode = 0600;
    attributes.link_count = 1;
    attributes.inode = reinterpret_cast<uptr>(this) >> 4;
    return attributes;
}

usize EpollFile::interest_count() const
{
    SpinlockGuard guard(s_epoll_lock);
    return m_interest.size();
}

void release_epoll_entries(const OpenFile& file)
{
    if (s_entry_count.load(MemoryOrder::Relaxed) == 0)
        return;
    SpinlockGuard guard(s_epoll_lock);
    FileIndex& bucket = index_bucket(&file);
    for (EpollFile::Entry& entry : bucket) {
        if (entry.file == &file)
            entry.owner->remove_entry_locked(entry);
    }
}

usize live_epoll_entry_count()
{
    return s_entry_count.load(MemoryOrder::Relaxed);
}

} // namespace fs
