#pragma once

// How portable file kinds (pipes, and whatever else under fs/ must wait)
// block without depending on the scheduler: the kernel installs hooks backed
// by hashed sched::WaitQueues (kernel/tty/KernelWaitHooks.cpp), host tests
// install hooks backed by a host mutex and condition variable.
//
// A waiter names a key (the address of the object it waits on) and a
// condition; a waker names the key after making some condition true. Keys
// may share a queue (a hash), so conditions are re-checked after every
// wake-up and spurious wake-ups are harmless.
//
// The condition runs with the waker's serialization held (the scheduler lock
// in the kernel): it may only read atomics and must not take locks.
//
// Without hooks (early boot, or a test that installs none) nothing can
// block: an operation that would have to wait returns EAGAIN instead.
#include <kernel/lib/Types.h>

namespace fs {

struct WaitHooks {
    using Condition = bool (*)(const void* argument);
    // Blocks until condition(argument) holds.
    void (*wait)(const void* key, Condition condition, const void* argument);
    // Wakes every waiter on `key` (and maybe others, which re-check).
    void (*wake)(const void* key);
};

// Interruption (the kernel: a signal to take): a blocking pipe operation
// checks it before each wait and after each wake-up and gives up with
// EINTR (or the partial count). The kernel's wait hook returns early when
// it holds. Without a check nothing is interrupted.
using InterruptionCheck = bool (*)();
void set_wait_interruption(InterruptionCheck check);
bool wait_interrupted();

// Installs the hooks (null removes them). Called once at boot, or by tests.
void set_wait_hooks(const WaitHooks* hooks);
const WaitHooks* wait_hooks();

} // namespace fs
