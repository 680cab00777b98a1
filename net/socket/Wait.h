#pragma once

// How sockets block, with deadlines (SO_RCVTIMEO, SO_SNDTIMEO) and signals,
// without depending on the scheduler: the kernel installs hooks backed by
// its wait queues (kernel/syscalls/Sockets.cpp), host tests install hooks
// backed by a host condition variable, or none.
//
// Every socket carries a generation counter that is bumped after each change
// of its state. A waiter reads the generation under the socket lock when it
// finds it must wait, drops the lock and sleeps until the generation moves;
// a waker bumps it after the change and wakes the socket's key. A change
// between the check and the sleep moves the generation, so no wake-up is
// lost.
#include <kernel/lib/Atomic.h>
#include <kernel/lib/Error.h>

namespace net {

struct SocketWaitHooks {
    using Condition = bool (*)(const void* argument);
    // Blocks until condition(argument) holds (0), the monotonic clock
    // reaches deadline_ns (ETIMEDOUT; NO_DEADLINE never does), or a signal
    // is pending for the caller (EINTR).
    int (*wait)(const void* key, Condition condition, const void* argument, u64 deadline_ns);
    // Wakes every waiter on `key` (and maybe others, which re-check).
    void (*wake)(const void* key);
    // The monotonic clock in nanoseconds.
    u64 (*now_ns)();
};

inline constexpr u64 NO_DEADLINE = ~u64(0);

// Installs the hooks (null removes them). Without hooks nothing blocks: an
// operation that would wait gives EAGAIN.
void set_socket_wait_hooks(const SocketWaitHooks* hooks);
const SocketWaitHooks* socket_wait_hooks();

// Sleeps until `generation` differs from `seen`; 0, EINTR or ETIMEDOUT.
// EAGAIN when no hooks are installed.
int wait_for_change(const void* key, const Atomic<u32>& generation, u32 seen, u64 deadline_ns);
void wake_waiters(const void* key);

// The deadline `timeout_ns` from now (0 = none).
u64 deadline_after(u64 timeout_ns);

} // namespace net
