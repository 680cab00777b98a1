// The readiness notification entry point; see Readiness.h. Every change
// goes to the watch registry (ReadinessWatch.h: poll, select and epoll),
// then to the optional extra listener.
#include <fs/vfs/Readiness.h>
#include <fs/vfs/ReadinessWatch.h>
#include <kernel/lib/Atomic.h>

namespace fs {

namespace {
Atomic<ReadinessListener> s_listener { nullptr };
}

void readiness_changed(const void* key)
{
    notify_readiness_watchers(key);
    if (ReadinessListener listener = s_listener.load(MemoryOrder::Acquire))
        listener(key);
}

void set_readiness_listener(ReadinessListener listener)
{
    s_listener.store(listener, MemoryOrder::Release);
}

} // namespace fs
