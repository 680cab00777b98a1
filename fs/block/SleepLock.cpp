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
        if (try_lock())
            return;
        const fs::WaitHooks* hooks = fs::wait_hooks();
        LIB_VERIFY(hooks);
        hooks->wait(this, is_free, &m_locked);
    }
}

bool SleepLock::try_lock()
{
    bool expected = false;
    return m_locked.compare_exchange(expected, true);
}

void SleepLock::release()
{
    // Sequentially consistent with the pending check that follows and with
    // the marking in run_deferred_work(): either the holder sees the work or
    // the one who marked it gets the lock.
    m_locked.store(false);
    if (const fs::WaitHooks* hooks = fs::wait_hooks())
        hooks->wake(this);
}

void SleepLock::unlock()
{
    for (;;) {
        if (m_deferred_work && m_deferred_work->pending())
            m_deferred_work->run();
        release();
        if (!m_deferred_work || !m_deferred_work->pending() || !try_lock())
            return;
    }
}

void SleepLock::run_deferred_work()
{
    if (try_lock())
        unlock();
}

} // namespace block
