// Clocks: clock_gettime over the kernel's monotonic clock (ktime), and the
// sleeps nanosleep and clock_nanosleep on the scheduler's timer queue.
//
// Osprey has no wall-clock source yet (no RTC driver), so CLOCK_REALTIME
// counts from the Unix epoch at boot: it equals CLOCK_MONOTONIC. BOOTTIME
// equals MONOTONIC as well (the machine never suspends); the RAW and COARSE
// variants read the same clock. CPU-time clocks are not kept yet (EINVAL).
#include <kernel/sched/WaitQueue.h>
#include <kernel/syscalls/Handlers.h>
#include <kernel/time/Clock.h>
#include <kernel/user/UserPtr.h>

namespace syscalls {

namespace {

// Clock ids (include/uapi/linux/time.h).
constexpr u64 CLOCK_REALTIME = 0;
constexpr u64 CLOCK_MONOTONIC = 1;
constexpr u64 CLOCK_MONOTONIC_RAW = 4;
constexpr u64 CLOCK_REALTIME_COARSE = 5;
constexpr u64 CLOCK_MONOTONIC_COARSE = 6;
constexpr u64 CLOCK_BOOTTIME = 7;

// struct __kernel_timespec (include/uapi/linux/time_types.h).
struct KernelTimespec {
    i64 seconds;
    i64 nanoseconds;
};
static_assert(sizeof(KernelTimespec) == 16);

constexpr u64 TIMER_ABSTIME = 1;

bool is_supported_clock(u64 clock)
{
    switch (static_cast<u32>(clock)) {
    case CLOCK_REALTIME:
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        return true;
    default:
        return false;
    }
}

ErrorOr<u64> read_duration(u64 address)
{
    KernelTimespec request;
    TRY(user::copy_from_user(request, user::UserPtr<const KernelTimespec>(address)));
    if (request.seconds < 0 || request.nanoseconds < 0 || request.nanoseconds >= static_cast<i64>(ktime::NS_PER_SECOND))
        return Error::from_errno(EINVAL);
    // Clamp absurd lengths: ~292 years of nanoseconds still fit in a u64.
    u64 seconds = min<u64>(static_cast<u64>(request.seconds), ~u64(0) / ktime::NS_PER_SECOND - 1);
    return seconds * ktime::NS_PER_SECOND + static_cast<u64>(request.nanoseconds);
}

// Sleeps until `deadline` (monotonic ns) unless a signal interrupts: then
// EINTR, with the time left written to `remaining` (if not 0), and the
// sleep kept for restart_syscall should the signal run no handler.
ErrorOr<u64> sleep_until(u64 deadline, u64 remaining)
{
    sched::WaitQueue nobody_wakes_this;
    auto result = nobody_wakes_this.wait_until_interruptible([] { return false; }, deadline);
    if (result.error().code() == ETIMEDOUT)
        return 0;
    current_process().signals().sleep_restart = { deadline, remaining, true };
    if (remaining) {
        u64 now = ktime::monotonic_ns();
        u64 left = deadline > now ? deadline - now : 0;
        KernelTimespec rest { static_cast<i64>(left / ktime::NS_PER_SECOND),
            static_cast<i64>(left % ktime::NS_PER_SECOND) };
        TRY(user::copy_to_user(user::UserPtr<KernelTimespec>(remaining), rest));
    }
    return Error::from_errno(EINTR);
}

u64 deadline_after(u64 duration)
{
    u64 now = ktime::monotonic_ns();
    return duration > ~u64(0) - now ? ~u64(0) - 1 : now + duration;
}

} // namespace

// nanosleep(request, remaining): EINVAL for a bad timespec, EFAULT for a bad
// pointer, EINTR (with the time left in `remaining`) when a signal comes.
SYSCALL_HANDLER(nanosleep)
{
    u64 duration = TRY(read_duration(arguments[0]));
    return sleep_until(deadline_after(duration), arguments[1]);
}

// clock_nanosleep(clock, flags, request, remaining): relative, or absolute
// with TIMER_ABSTIME (every supported clock reads the monotonic clock, see
// above). Errors are returned, not set in errno, by the libc wrapper.
SYSCALL_HANDLER(clock_nanosleep)
{
    if (!is_supported_clock(arguments[0]))
        return Error::from_errno(EINVAL);
    if (arguments[1] & ~TIMER_ABSTIME)
        return Error::from_errno(EINVAL);
    u64 value = TRY(read_duration(arguments[2]));
    if (arguments[1] & TIMER_ABSTIME)
        return sleep_until(value, 0);
    return sleep_until(deadline_after(value), arguments[3]);
}

// restart_syscall(): continues a sleep a signal without a handler (a stop
// and SIGCONT) interrupted, to its original deadline; EINTR when there is
// none to continue (Linux's do_no_restart_syscall).
SYSCALL_HANDLER(restart_syscall)
{
    (void)arguments;
    proc::SleepRestart& restart = current_process().signals().sleep_restart;
    if (!restart.armed)
        return Error::from_errno(EINTR);
    restart.armed = false;
    return sleep_until(restart.deadline_ns, restart.remaining_address);
}

// clock_gettime(clock, timespec). The clock id is an int, as on Linux (the
// upper half of the register is ignored). Errors: EINVAL for an unknown
// clock; EFAULT for a bad timespec pointer.
SYSCALL_HANDLER(clock_gettime)
{
    if (!is_supported_clock(arguments[0]))
        return Error::from_errno(EINVAL);
    u64 now = ktime::monotonic_ns();
    KernelTimespec time { static_cast<i64>(now / ktime::NS_PER_SECOND), static_cast<i64>(now % ktime::NS_PER_SECOND) };
    TRY(user::copy_to_user(user::UserPtr<KernelTimespec>(arguments[1]), time));
    return 0;
}

} // namespace syscalls
