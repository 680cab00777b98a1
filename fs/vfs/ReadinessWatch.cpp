// The readiness watch registry (see ReadinessWatch.h): hashed buckets of
// intrusive watch lists under one spinlock.
#include <fs/vfs/ReadinessWatch.h>
#include <kernel/lib/Atomic.h>
#include <kernel/lib/Spinlock.h>

namespace fs {

namespace {

constexpr usize BUCKET_COUNT = 64;

using WatchList = lib::IntrusiveList<ReadinessWatch, &ReadinessWatch::node>;

[[clang::no_destroy]] constinit Spinlock s_lock;
[[clang::no_destroy]] constinit WatchList s_buckets[BUCKET_COUNT];
// Written under s_lock; read without it by the fast path of notify.
constinit Atomic<usize> s_watch_count { 0 };
constinit u64 s_pass = 0; // guarded by s_lock

WatchList& bucket_for(const void* key)
{
    auto value = reinterpret_cast<uptr>(key);
    return s_buckets[((value >> 4) ^ (value >> 12)) % BUCKET_COUNT];
}

} // namespace

void add_readiness_watch(ReadinessWatch& watch)
{
    SpinlockGuard guard(s_lock);
    bucket_for(watch.key).push_back(watch);
    s_watch_count.fetch_add(1, MemoryOrder::SequentiallyConsistent);
}

void remove_readiness_watch(ReadinessWatch& watch)
{
    SpinlockGuard guard(s_lock);
    bucket_for(watch.key).remove(watch);
    s_watch_count.fetch_sub(1, MemoryOrder::Relaxed);
}

void notify_readiness_watchers(const void* key)
{
    // Nobody watches anything (the common case for pipes): skip the lock.
    // The fence orders the caller's state change before the count is read;
    // a watcher counts itself (a full barrier) before it looks at the
    // state, so one of the two always sees the other.
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (s_watch_count.load(MemoryOrder::Relaxed) == 0)
        return;
    SpinlockGuard guard(s_lock);
    u64 pass = ++s_pass;
    ReadinessRelay* pending = nullptr;
    const void* current = key;
    for (;;) {
        for (ReadinessWatch& watch : bucket_for(current)) {
            if (watch.key != current)
                continue;
            ReadinessRelay* relay = watch.watcher->readiness_changed_locked(current);
            if (relay && relay->pass != pass) {
                relay->pass = pass;
                relay->next_pending = pending;
                pending = relay;
            }
        }
        if (!pending)
            return;
        current = pending->key;
        pending = pending->next_pending;
    }
}

usize readiness_watch_count()
{
    return s_watch_count.load(MemoryOrder::Relaxed);
}

} // namespace fs
