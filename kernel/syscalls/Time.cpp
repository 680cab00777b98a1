// Clocks: clock_gettime over the kernel's monotonic clock (ktime).
//
// Osprey has no wall-clock source yet (no RTC driver), so CLOCK_REALTIME
// counts from the Unix epoch at boot: it equals CLOCK_MONOTONIC. BOOTTIME
// equals MONOTONIC as well (the machine never suspends); the RAW and COARSE
// variants read the same clock. CPU-time clocks are not kept yet (EINVAL).
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

} // namespace

// clock_gettime(clock, timespec). The clock id is an int, as on Linux (the
// upper half of the register is ignored). Errors: EINVAL for an unknown
// clock; EFAULT for a bad timespec pointer.
SYSCALL_HANDLER(clock_gettime)
{
    switch (static_cast<u32>(arguments[0])) {
    case CLOCK_REALTIME:
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        break;
    default:
        return Error::from_errno(EINVAL);
    }
    u64 now = ktime::monotonic_ns();
    KernelTimespec time { static_cast<i64>(now / ktime::NS_PER_SECOND), static_cast<i64>(now % ktime::NS_PER_SECOND) };
    TRY(user::copy_to_user(user::UserPtr<KernelTimespec>(arguments[1]), time));
    return 0;
}

} // namespace syscalls
