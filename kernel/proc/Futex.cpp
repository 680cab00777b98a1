// Futex waits and wakes; see Futex.h.
#include <kernel/lib/IntrusiveList.h>
#include <kernel/proc/Futex.h>
#include <kernel/sched/Mutex.h>
#include <kernel/sched/WaitQueue.h>
#include <kernel/user/UserPtr.h>

namespace proc {

namespace {

struct FutexWaiter {
    lib::IntrusiveListNode node;
    FutexKey key;
    u32 bitset { 0 };
    bool woken { false }; // atomic: set by the waker, under s_lock
    sched::WaitQueue queue;
};

using WaiterList = lib::IntrusiveList<FutexWaiter, &FutexWaiter::node>;

[[clang::no_destroy]] constinit sched::Mutex s_lock;
[[clang::no_destroy]] constinit WaiterList s_waiters; // guarded by s_lock

bool same_key(const FutexKey& a, const FutexKey& b)
{
    return a.space == b.space && a.address == b.address;
}

ErrorOr<u32> read_word(VirtAddr address)
{
    if (address % sizeof(u32))
        return Error::from_errno(EINVAL);
    u32 value = 0;
    TRY(user::copy_from_user(value, user::UserPtr<const u32>(address)));
    return value;
}

// Under s_lock: takes `waiter` off the list and wakes it.
void wake_locked(FutexWaiter& waiter)
{
    s_waiters.remove(waiter);
    __atomic_store_n(&waiter.woken, true, __ATOMIC_RELEASE);
    waiter.queue.wake_all();
}

} // namespace

ErrorOr<void> futex_wait(const FutexKey& key, u32 expected, u32 bitset, u64 deadline_ns)
{
    FutexWaiter waiter;
    waiter.key = key;
    waiter.bitset = bitset;
    {
        sched::MutexLocker locker(s_lock);
        u32 value = TRY(read_word(key.address));
        if (value != expected)
            return Error::from_errno(EAGAIN);
        s_waiters.push_back(waiter);
    }
    auto waited = waiter.queue.wait_until_interruptible(
        [&] { return __atomic_load_n(&waiter.woken, __ATOMIC_ACQUIRE); }, deadline_ns);
    sched::MutexLocker locker(s_lock);
    // A wake that raced with the timeout or the signal counts (as Linux's).
    if (__atomic_load_n(&waiter.woken, __ATOMIC_ACQUIRE))
        return {};
    s_waiters.remove(waiter);
    return waited;
}

usize futex_wake(const FutexKey& key, usize count, u32 bitset)
{
    sched::MutexLocker locker(s_lock);
    usize woken = 0;
    for (FutexWaiter& waiter : s_waiters) {
        if (woken == count)
            break;
        if (!same_key(waiter.key, key) || !(waiter.bitset & bitset))
            continue;
        wake_locked(waiter);
        ++woken;
    }
    return woken;
}

ErrorOr<usize> futex_requeue(
    const FutexKey& from, const FutexKey& to, usize wake_count, usize requeue_count, bool compare, u32 expected)
{
    sched::MutexLocker locker(s_lock);
    if (compare) {
        u32 value = TRY(read_word(from.address));
        if (value != expected)
            return Error::from_errno(EAGAIN);
    }
    usize woken = 0;
    usize moved = 0;
    for (FutexWaiter& waiter : s_waiters) {
        if (!same_key(waiter.key, from))
            continue;
        if (woken < wake_count) {
            wake_locked(waiter);
            ++woken;
        } else if (moved < requeue_count) {
            waiter.key = to;
            ++moved;
        } else {
            break;
        }
    }
    return woken + moved;
}

} // namespace proc
