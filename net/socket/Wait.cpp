// The installed socket wait hooks (see Wait.h).
#include <net/socket/Wait.h>

namespace net {

namespace {

const SocketWaitHooks* s_hooks = nullptr;

struct GenerationWait {
    const Atomic<u32>* generation;
    u32 seen;
};

bool generation_moved(const void* argument)
{
    auto* wait = static_cast<const GenerationWait*>(argument);
    return wait->generation->load(MemoryOrder::Acquire) != wait->seen;
}

} // namespace

void set_socket_wait_hooks(const SocketWaitHooks* hooks)
{
    __atomic_store_n(&s_hooks, hooks, __ATOMIC_RELEASE);
}

const SocketWaitHooks* socket_wait_hooks()
{
    return __atomic_load_n(&s_hooks, __ATOMIC_ACQUIRE);
}

int wait_for_change(const void* key, const Atomic<u32>& generation, u32 seen, u64 deadline_ns)
{
    const SocketWaitHooks* hooks = socket_wait_hooks();
    if (!hooks)
        return EAGAIN;
    GenerationWait wait { &generation, seen };
    return hooks->wait(key, generation_moved, &wait, deadline_ns);
}

void wake_waiters(const void* key)
{
    if (const SocketWaitHooks* hooks = socket_wait_hooks())
        hooks->wake(key);
}

u64 deadline_after(u64 timeout_ns)
{
    const SocketWaitHooks* hooks = socket_wait_hooks();
    if (timeout_ns == 0 || !hooks)
        return NO_DEADLINE;
    return hooks->now_ns() + timeout_ns;
}

} // namespace net
