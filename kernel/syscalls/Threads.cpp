// Threads: clone, gettid, set_tid_address and futex. The work is in
// kernel/proc (Process.cpp: clone_thread and fork; Futex.cpp); these
// handlers check the arguments as Linux does (kernel/fork.c copy_process,
// kernel/futex/syscalls.c).
//
// clone serves three shapes: a thread (CLONE_VM | CLONE_FS | CLONE_FILES |
// CLONE_SIGHAND | CLONE_THREAD, as pthread_create asks), a fork (none of
// those, exit signal SIGCHLD), and CLONE_VM | CLONE_VFORK without
// CLONE_THREAD (posix_spawn), which gets a copy of the address space like a
// fork: the parent does not wait for the child's execve, and the child's
// stores are not seen by the parent (docs/architecture.md). Other sharing
// combinations, namespaces, CLONE_PIDFD, CLONE_PARENT, CLONE_PTRACE and
// other exit signals are ENOSYS.
#include <kernel/mm/Layout.h>
#include <kernel/proc/Futex.h>
#include <kernel/proc/UserThread.h>
#include <kernel/sched/TimerQueue.h>
#include <kernel/syscalls/Handlers.h>
#include <kernel/time/Clock.h>
#include <kernel/time/WallClock.h>
#include <kernel/user/UserPtr.h>

namespace syscalls {

namespace {

// clone flags (include/uapi/linux/sched.h).
constexpr u64 CLONE_VM = 0x00000100;
constexpr u64 CLONE_FS = 0x00000200;
constexpr u64 CLONE_FILES = 0x00000400;
constexpr u64 CLONE_SIGHAND = 0x00000800;
constexpr u64 CLONE_VFORK = 0x00004000;
constexpr u64 CLONE_THREAD = 0x00010000;
constexpr u64 CLONE_NEWNS = 0x00020000;
constexpr u64 CLONE_SYSVSEM = 0x00040000;
constexpr u64 CLONE_SETTLS = 0x00080000;
constexpr u64 CLONE_PARENT_SETTID = 0x00100000;
constexpr u64 CLONE_CHILD_CLEARTID = 0x00200000;
constexpr u64 CLONE_DETACHED = 0x00400000;
constexpr u64 CLONE_CHILD_SETTID = 0x01000000;
constexpr u64 CLONE_NEWUSER = 0x10000000;
constexpr u64 CLONE_NEWPID = 0x20000000;

constexpr u64 THREAD_SHARING = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD;
// Flags that change nothing here: System V semaphore undo lists are not
// kept, and CLONE_DETACHED has been ignored by Linux since 2.6.
constexpr u64 HARMLESS_FLAGS = CLONE_SYSVSEM | CLONE_DETACHED;
constexpr u64 TID_FLAGS = CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID;
constexpr u64 SIGNAL_CHILD = 17;

// futex operations (include/uapi/linux/futex.h).
constexpr u32 FUTEX_WAIT = 0;
constexpr u32 FUTEX_WAKE = 1;
constexpr u32 FUTEX_REQUEUE = 3;
constexpr u32 FUTEX_CMP_REQUEUE = 4;
constexpr u32 FUTEX_WAIT_BITSET = 9;
constexpr u32 FUTEX_WAKE_BITSET = 10;
constexpr u32 FUTEX_PRIVATE_FLAG = 128;
constexpr u32 FUTEX_CLOCK_REALTIME = 256;

struct KernelTimespec {
    i64 seconds;
    i64 nanoseconds;
};

// Linux's copy_process checks, in its order.
ErrorOr<void> check_clone_flags(u64 flags)
{
    if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS))
        return Error::from_errno(EINVAL);
    if ((flags & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS))
        return Error::from_errno(EINVAL);
    if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
        return Error::from_errno(EINVAL);
    if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
        return Error::from_errno(EINVAL);
    if ((flags & CLONE_THREAD) && (flags & (CLONE_NEWUSER | CLONE_NEWPID)))
        return Error::from_errno(EINVAL);
    return {};
}

// A futex timeout: `address` 0 means none. Relative (FUTEX_WAIT) on the
// monotonic clock, or absolute (FUTEX_WAIT_BITSET) on the monotonic or the
// wall clock. Returns a monotonic deadline.
ErrorOr<u64> futex_deadline(u64 address, bool absolute, bool realtime)
{
    if (!address)
        return sched::NO_DEADLINE;
    KernelTimespec time;
    TRY(user::copy_from_user(time, user::UserPtr<const KernelTimespec>(address)));
    if (time.seconds < 0 || time.nanoseconds < 0 || time.nanoseconds >= static_cast<i64>(ktime::NS_PER_SECOND))
        return Error::from_errno(EINVAL);
    u64 seconds = min<u64>(static_cast<u64>(time.seconds), ~u64(0) / ktime::NS_PER_SECOND - 1);
    u64 value = seconds * ktime::NS_PER_SECOND + static_cast<u64>(time.nanoseconds);
    if (absolute)
        return realtime ? ktime::realtime_to_monotonic_ns(value) : value;
    u64 now = ktime::monotonic_ns();
    return value > ~u64(0) - 1 - now ? ~u64(0) - 1 : now + value;
}

// A wake count (an int on Linux): at least one waiter is woken.
usize wake_count(u64 value)
{
    i32 count = static_cast<i32>(value);
    return count > 0 ? static_cast<usize>(count) : 1;
}

} // namespace

// clone(flags, stack, parent_tid, child_tid, tls): the new thread's tid or
// the child's pid in the caller, 0 in the new thread or child. EINVAL for
// the combinations Linux refuses; EPERM for a TLS outside user space;
// ENOSYS for the unsupported ones (above); EAGAIN, ENOMEM.
SYSCALL_HANDLER(clone)
{
    u64 flags = arguments[0];
    TRY(check_clone_flags(flags));
    proc::CloneRequest request;
    request.stack = arguments[1];
    if (flags & CLONE_SETTLS) {
        if (arguments[4] >= mm::USER_END)
            return Error::from_errno(EPERM);
        request.set_tls = true;
        request.tls = arguments[4];
    }
    if (flags & CLONE_PARENT_SETTID)
        request.parent_tid = arguments[2];
    if (flags & CLONE_CHILD_SETTID)
        request.child_tid = arguments[3];
    if (flags & CLONE_CHILD_CLEARTID)
        request.clear_tid = arguments[3];
    u64 kind = flags & ~(HARMLESS_FLAGS | TID_FLAGS);
    proc::Process& process = current_process();
    if (kind == THREAD_SHARING)
        return static_cast<u64>(TRY(process.clone_thread(request)));
    if (kind == SIGNAL_CHILD || kind == (SIGNAL_CHILD | CLONE_VFORK) || kind == (SIGNAL_CHILD | CLONE_VM | CLONE_VFORK))
        return static_cast<u64>(TRY(process.fork(request)));
    return Error::from_errno(ENOSYS);
}

SYSCALL_HANDLER(gettid)
{
    return static_cast<u64>(proc::UserThread::current()->tid());
}

// set_tid_address(tidptr): remembered, written with 0 (and woken as a
// futex) when the thread ends. Returns the caller's tid. Never fails.
SYSCALL_HANDLER(set_tid_address)
{
    proc::UserThread* thread = proc::UserThread::current();
    thread->set_clear_child_tid(arguments[0]);
    return static_cast<u64>(thread->tid());
}

// futex(address, op, value, timeout or value2, address2, value3): WAIT,
// WAKE, REQUEUE, CMP_REQUEUE, WAIT_BITSET, WAKE_BITSET, with or without
// FUTEX_PRIVATE_FLAG (both are keyed by the address space, Futex.h).
// FUTEX_CLOCK_REALTIME only with WAIT_BITSET (ENOSYS otherwise, as this
// Linux build's reference host answers). Errors: EAGAIN (the word differs),
// ETIMEDOUT, EINTR, EFAULT, EINVAL (misaligned address, a zero bitset, a bad
// timespec, negative requeue counts); ENOSYS for FUTEX_FD, WAKE_OP and the
// priority-inheritance operations.
SYSCALL_HANDLER(futex)
{
    u64 address = arguments[0];
    u32 op = static_cast<u32>(arguments[1]);
    u32 command = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
    bool realtime = op & FUTEX_CLOCK_REALTIME;
    if (realtime && command != FUTEX_WAIT_BITSET)
        return Error::from_errno(ENOSYS);
    if (address % sizeof(u32))
        return Error::from_errno(EINVAL);
    if (address >= mm::USER_END)
        return Error::from_errno(EFAULT);
    proc::Process& process = current_process();
    const void* space = &process.memory().address_space();
    proc::FutexKey key { space, address };
    u32 value = static_cast<u32>(arguments[2]);
    u32 bitset = static_cast<u32>(arguments[5]);
    switch (command) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
        if (command == FUTEX_WAIT)
            bitset = proc::FUTEX_BITSET_MATCH_ANY;
        if (!bitset)
            return Error::from_errno(EINVAL);
        u64 deadline = TRY(futex_deadline(arguments[3], command == FUTEX_WAIT_BITSET, realtime));
        TRY(proc::futex_wait(key, value, bitset, deadline));
        return 0;
    }
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET: {
        if (command == FUTEX_WAKE)
            bitset = proc::FUTEX_BITSET_MATCH_ANY;
        if (!bitset)
            return Error::from_errno(EINVAL);
        // A shared futex must be mapped (Linux looks its page up).
        if (!(op & FUTEX_PRIVATE_FLAG)) {
            u32 word = 0;
            TRY(user::copy_from_user(word, user::UserPtr<const u32>(address)));
        }
        return proc::futex_wake(key, wake_count(value), bitset);
    }
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE: {
        i32 wake = static_cast<i32>(arguments[2]);
        i32 requeue = static_cast<i32>(arguments[3]);
        if (wake < 0 || requeue < 0)
            return Error::from_errno(EINVAL);
        u64 target = arguments[4];
        if (target % sizeof(u32))
            return Error::from_errno(EINVAL);
        if (target >= mm::USER_END)
            return Error::from_errno(EFAULT);
        return TRY(proc::futex_requeue(key, { space, target }, static_cast<usize>(wake), static_cast<usize>(requeue),
            command == FUTEX_CMP_REQUEUE, bitset));
    }
    default:
        return Error::from_errno(ENOSYS);
    }
}

} // namespace syscalls
