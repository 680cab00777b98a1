// SleepLock: a test-and-set flag whose contenders wait through the fs wait hooks.
#include <fs/block/SleepLock.h>
#include <fs/pipe/WaitHooks.h>
#include <kernel/lib/Assertions.h>

namespace block {

namespace {

bool is_free(const void* argument)
{
    return !static_cast<const lib::Atomic<bool>*>(argument)->load(lib::MemoryOrder::Acquire);
}

} // namespace

void SleepLock::lock()
{
    for (;;) {
        bool expected = false;
        if (m_locked.compare_exchange(expected, true, lib::MemoryOrder::Acquire))
            return;
        const fs::WaitHooks* hooks = fs::wait_hooks();
        LIB_VERIFY(hooks);
        hooks->wait(this, is_free, &m_locked);
    }
}

void SleepLock::unlock()
{
    m_locked.store(false, lib::MemoryOrder::Release);
    if (const fs::WaitHooks* hooks = fs::wait_hooks())
        hooks->wake(this);
}

} // namespace block
