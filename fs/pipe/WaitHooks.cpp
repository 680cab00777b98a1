// The installed blocking hooks (see WaitHooks.h): one pointer, set at boot
// before any pipe exists, read atomically by every blocking operation.
#include <fs/pipe/WaitHooks.h>

namespace fs {

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
