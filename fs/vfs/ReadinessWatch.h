#pragma once

// Who is told when a readiness key changes (Readiness.h): a registry of
// watches, each naming a key and a watcher. poll and select register one
// watch per fd for the length of one call; an epoll instance registers one
// per interest-list entry for as long as the entry exists.
//
// readiness_changed(key) calls every watcher of `key`. A watcher may answer
// with a relay: the key of an object whose own readiness follows from the
// change (an epoll instance, whose fd may itself be polled or nested in
// another epoll). The relay's key is then notified too, in the same pass;
// each relay is followed at most once per pass, so cycles end.
//
// Locking: one registry lock (a spinlock, interrupts off) guards every
// bucket and every relay's links; watchers run under it and may only set
// atomics and wake threads. It nests inside whatever locks the caller of
// readiness_changed holds, and nothing is allocated: the watch and relay
// links live in their owners.
#include <kernel/lib/IntrusiveList.h>
#include <kernel/lib/Types.h>

namespace fs {

struct ReadinessRelay {
    const void* key { nullptr };
    ReadinessRelay* next_pending { nullptr }; // guarded by the registry lock
    u64 pass { 0 };                           // the last notification pass that queued it
};

class ReadinessWatcher {
public:
    // `key` changed. Runs under the registry lock (see above); returns a
    // relay to notify in turn, or null.
    virtual ReadinessRelay* readiness_changed_locked(const void* key) = 0;

protected:
    ~ReadinessWatcher() = default;
};

struct ReadinessWatch {
    lib::IntrusiveListNode node; // guarded by the registry lock
    const void* key { nullptr };
    ReadinessWatcher* watcher { nullptr };
};

// Links `watch` (key and watcher set, not linked) into the registry.
void add_readiness_watch(ReadinessWatch& watch);
// Unlinks it; after this returns no watcher call for it is running.
void remove_readiness_watch(ReadinessWatch& watch);
// Calls the watchers of `key`, then those of the relays they return.
void notify_readiness_watchers(const void* key);
// Watches linked now (for tests and leak checks).
usize readiness_watch_count();

} // namespace fs
