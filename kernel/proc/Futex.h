#pragma once

// Futexes (futex(2)): threads wait on a 32-bit word of user memory until
// another thread wakes them. A futex is keyed by (address space, user
// address), so the private ones of a process match exactly; a shared
// futex (no FUTEX_PRIVATE_FLAG) is keyed the same way, so it works between
// the threads of one process but not across processes sharing a page
// (docs/architecture.md).
//
// Waiters live on the waiting thread's stack, on one list guarded by a
// sleeping lock (a sched::Mutex, so that reading the user word may fault
// the page in). FUTEX_WAIT reads the word and queues the waiter under the
// lock, so a wake that follows the caller's store cannot be lost. A woken
// waiter is taken off the list by its waker; a waiter that times out or is
// interrupted takes itself off, and a waiter always takes the lock once
// more before it returns, so no waker still touches it afterwards.
#include <kernel/lib/Error.h>
#include <kernel/lib/Types.h>

namespace proc {

inline constexpr u32 FUTEX_BITSET_MATCH_ANY = 0xffffffff;

// The key of a futex: the address space (its identity only) and the address.
struct FutexKey {
    const void* space { nullptr };
    VirtAddr address { 0 };
};

// Blocks while the word at key.address holds `expected`, until a wake with
// a bitset sharing a bit with `bitset`. EAGAIN when the word differs,
// EFAULT for a bad address, ETIMEDOUT once `deadline_ns` (monotonic;
// NO_DEADLINE for none) passes, EINTR when a signal is to be taken.
ErrorOr<void> futex_wait(const FutexKey& key, u32 expected, u32 bitset, u64 deadline_ns);

// Wakes up to `count` waiters of `key` whose bitset shares a bit with
// `bitset`, oldest first; returns how many.
usize futex_wake(const FutexKey& key, usize count, u32 bitset);

// FUTEX_REQUEUE and FUTEX_CMP_REQUEUE: wakes up to `wake_count` waiters of
// `from` and moves up to `requeue_count` more to `to`; returns the number
// woken plus moved. With `compare`, EAGAIN unless the word at from.address
// holds `expected` (EFAULT if unreadable).
ErrorOr<usize> futex_requeue(
    const FutexKey& from, const FutexKey& to, usize wake_count, usize requeue_count, bool compare, u32 expected);

} // namespace proc
