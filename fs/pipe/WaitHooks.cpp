// The installed blocking hooks (see WaitHooks.h): one pointer, set at boot
// before any pipe exists, read atomically by every blocking operation.
#include <fs/pipe/WaitHooks.h>

namespace fs {

namespace {

constinit bool (*s_interruption)() = nullptr;

} // namespace

void set_wait_interruption(InterruptionCheck check)
{
    __atomic_store_n(&s_interruption, check, __ATOMIC_RELEASE);
}

bool wait_interrupted()
{
    InterruptionCheck check = __atomic_load_n(&s_interruption, __ATOMIC_ACQUIRE);
    return check && check();
}

namespace {
const WaitHooks* s_hooks = nullptr;
}

void set_wait_hooks(const WaitHooks* hooks)
{
    __atomic_store_n(&s_hooks, hooks, __ATOMIC_RELEASE);
}

const WaitHooks* wait_hooks()
{
    return __atomic_load_n(&s_hooks, __ATOMIC_ACQUIRE);
}

} // namespace fs
