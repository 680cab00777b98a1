// The readiness watch registry (see ReadinessWatch.h): hashed buckets of
// intrusive watch lists under one spinlock.
#include <fs/vfs/ReadinessWatch.h>
#include <kernel/lib/Spinlock.h>

namespace fs {

namespace {

constexpr usize BUCKET_COUNT = 64;

using WatchList = lib::IntrusiveList<ReadinessWatch, &ReadinessWatch::node>;

[[clang::no_destroy]] constinit Spinlock s_lock;
[[clang::no_destroy]] constinit WatchList s_buckets[BUCKET_COUNT];
constinit usize s_watch_count = 0; // guarded by s_lock
constinit u64 s_pass = 0;          // guarded by s_lock

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
    ++s_watch_count;
}

void remove_readiness_watch(ReadinessWatch& watch)
{
    SpinlockGuard guard(s_lock);
    bucket_for(watch.key).remove(watch);
    --s_watch_count;
}

void notify_readiness_watchers(const void* key)
{
    SpinlockGuard guard(s_lock);
    if (s_watch_count == 0)
        return;
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
    SpinlockGuard guard(s_lock);
    return s_watch_count;
}

} // namespace fs
