// Clocks: clock_gettime/clock_getres/gettimeofday/time over the kernel's
// monotonic clock (ktime) and the wall clock (ktime::realtime_ns, set from the
// RTC at boot), clock_settime/settimeofday for root, and the sleeps nanosleep
// and clock_nanosleep on the scheduler's timer queue.
//
// CLOCK_REALTIME and REALTIME_COARSE read the wall clock; BOOTTIME equals
// MONOTONIC (the machine never suspends); the RAW and COARSE variants read
// the same clock as their base. CPU-time clocks are not kept yet (EINVAL).
#include <kernel/sched/WaitQueue.h>
#include <kernel/syscalls/Handlers.h>
#include <kernel/time/Clock.h>
#include <kernel/time/WallClock.h>
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

// struct __kernel_old_timeval and struct timezone (include/uapi/linux/time.h).
struct KernelTimeval {
    i64 seconds;
    i64 microseconds;
};
static_assert(sizeof(KernelTimeval) == 16);
struct KernelTimezone {
    i32 minutes_west;
    i32 dst_time;
};
static_assert(sizeof(KernelTimezone) == 8);

// Linux's TIME_SETTOD_SEC_MAX: the wall clock may be set up to 30 years
// short of where nanoseconds overflow an i64.
constexpr i64 SETTABLE_SECONDS_MAX = static_cast<i64>((~u64(0) >> 1) / ktime::NS_PER_SECOND) - 30LL * 365 * 86400;

// What settimeofday last stored; gettimeofday reports it (Linux's sys_tz,
// which nothing in the kernel uses for time itself).
constinit KernelTimezone s_timezone {};

bool is_realtime(u64 clock)
{
    return static_cast<u32>(clock) == CLOCK_REALTIME || static_cast<u32>(clock) == CLOCK_REALTIME_COARSE;
}

u64 read_clock(u64 clock)
{
    return is_realtime(clock) ? ktime::realtime_ns() : ktime::monotonic_ns();
}

KernelTimespec to_timespec(u64 ns)
{
    return { static_cast<i64>(ns / ktime::NS_PER_SECOND), static_cast<i64>(ns % ktime::NS_PER_SECOND) };
}

// Sets the wall clock, as Linux's do_sys_settimeofday64: EINVAL for a time
// out of range, then EPERM unless the caller is root.
ErrorOr<void> set_wall_clock(i64 seconds, i64 nanoseconds)
{
    if (seconds < 0 || seconds > SETTABLE_SECONDS_MAX || nanoseconds < 0
        || nanoseconds >= static_cast<i64>(ktime::NS_PER_SECOND))
        return Error::from_errno(EINVAL);
    if (!current_process().credentials().is_root())
        return Error::from_errno(EPERM);
    ktime::set_realtime_ns(static_cast<u64>(seconds) * ktime::NS_PER_SECOND + static_cast<u64>(nanoseconds));
    return {};
}

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
    proc::UserThread::current()->signals().sleep_restart = { deadline, remaining, true };
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
// with TIMER_ABSTIME. An absolute CLOCK_REALTIME deadline is turned into a
// monotonic one when the sleep starts (a later clock_settime does not move
// it, unlike Linux). Errors are returned, not set in errno, by the libc wrapper.
SYSCALL_HANDLER(clock_nanosleep)
{
    if (!is_supported_clock(arguments[0]))
        return Error::from_errno(EINVAL);
    if (arguments[1] & ~TIMER_ABSTIME)
        return Error::from_errno(EINVAL);
    u64 value = TRY(read_duration(arguments[2]));
    if (arguments[1] & TIMER_ABSTIME)
        return sleep_until(is_realtime(arguments[0]) ? ktime::realtime_to_monotonic_ns(value) : value, 0);
    return sleep_until(deadline_after(value), arguments[3]);
}

// restart_syscall(): continues a sleep a signal without a handler (a stop
// and SIGCONT) interrupted, to its original deadline; EINTR when there is
// none to continue (Linux's do_no_restart_syscall).
SYSCALL_HANDLER(restart_syscall)
{
    (void)arguments;
    proc::SleepRestart& restart = proc::UserThread::current()->signals().sleep_restart;
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
    TRY(user::copy_to_user(user::UserPtr<KernelTimespec>(arguments[1]), to_timespec(read_clock(arguments[0]))));
    return 0;
}

// clock_getres(clock, timespec or NULL): 1 ns for the clocks read from the
// clock source, the tick period for the COARSE ones (as Linux reports them).
SYSCALL_HANDLER(clock_getres)
{
    if (!is_supported_clock(arguments[0]))
        return Error::from_errno(EINVAL);
    if (!arguments[1])
        return 0;
    u32 clock = static_cast<u32>(arguments[0]);
    bool coarse = clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE;
    u32 tick_hz = ktime::tick_rate_hz();
    u64 resolution = coarse && tick_hz ? ktime::NS_PER_SECOND / tick_hz : 1;
    TRY(user::copy_to_user(user::UserPtr<KernelTimespec>(arguments[1]), to_timespec(resolution)));
    return 0;
}

// clock_settime(clock, timespec): only CLOCK_REALTIME can be set (EINVAL for
// any other clock); EFAULT, then EINVAL for a bad time, then EPERM for a
// caller that is not root.
SYSCALL_HANDLER(clock_settime)
{
    if (static_cast<u32>(arguments[0]) != CLOCK_REALTIME)
        return Error::from_errno(EINVAL);
    KernelTimespec time;
    TRY(user::copy_from_user(time, user::UserPtr<const KernelTimespec>(arguments[1])));
    TRY(set_wall_clock(time.seconds, time.nanoseconds));
    return 0;
}

// gettimeofday(timeval or NULL, timezone or NULL).
SYSCALL_HANDLER(gettimeofday)
{
    if (arguments[0]) {
        u64 now = ktime::realtime_ns();
        KernelTimeval value { static_cast<i64>(now / ktime::NS_PER_SECOND),
            static_cast<i64>(now % ktime::NS_PER_SECOND / 1000) };
        TRY(user::copy_to_user(user::UserPtr<KernelTimeval>(arguments[0]), value));
    }
    if (arguments[1])
        TRY(user::copy_to_user(user::UserPtr<KernelTimezone>(arguments[1]), s_timezone));
    return 0;
}

// settimeofday(timeval or NULL, timezone or NULL): EFAULT, EINVAL for a
// microsecond count out of range or an absurd time zone, EPERM for a caller
// that is not root. Linux's first-call "warp the clock from local time"
// behaviour is not reproduced: Osprey's RTC is read as UTC.
SYSCALL_HANDLER(settimeofday)
{
    KernelTimeval value {};
    KernelTimezone zone {};
    if (arguments[0]) {
        TRY(user::copy_from_user(value, user::UserPtr<const KernelTimeval>(arguments[0])));
        if (value.microseconds < 0 || value.microseconds >= 1'000'000)
            return Error::from_errno(EINVAL);
    }
    if (arguments[1]) {
        TRY(user::copy_from_user(zone, user::UserPtr<const KernelTimezone>(arguments[1])));
        if (zone.minutes_west < -15 * 60 || zone.minutes_west > 15 * 60)
            return Error::from_errno(EINVAL);
    }
    if (arguments[0])
        TRY(set_wall_clock(value.seconds, value.microseconds * 1000));
    else if (arguments[1] && !current_process().credentials().is_root())
        return Error::from_errno(EPERM);
    if (arguments[1])
        s_timezone = zone;
    return 0;
}

// time(address or NULL): the wall clock's seconds, also stored at `address`.
SYSCALL_HANDLER(time)
{
    i64 seconds = static_cast<i64>(ktime::realtime_ns() / ktime::NS_PER_SECOND);
    if (arguments[0])
        TRY(user::copy_to_user(user::UserPtr<i64>(arguments[0]), seconds));
    return static_cast<u64>(seconds);
}

} // namespace syscalls
