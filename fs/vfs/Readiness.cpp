// The readiness listener hook; see Readiness.h.
#include <fs/vfs/Readiness.h>
#include <kernel/lib/Atomic.h>

namespace fs {

namespace {
Atomic<ReadinessListener> s_listener { nullptr };
}

void readiness_changed(const void* key)
{
    if (ReadinessListener listener = s_listener.load(MemoryOrder::Acquire))
        listener(key);
}

void set_readiness_listener(ReadinessListener listener)
{
    s_listener.store(listener, MemoryOrder::Release);
}

} // namespace fs
