// Waiting-call timeouts; see UserTimeout.h.
#include <kernel/poll/ReadinessWait.h>
#include <kernel/poll/UserTimeout.h>
#include <kernel/sched/TimerQueue.h>
#include <kernel/time/Clock.h>
#include <kernel/user/UserPtr.h>

namespace kpoll {

namespace {

// struct timespec and struct timeval on x86_64: two 64-bit fields.
struct UserTimePair {
    i64 seconds;
    i64 fraction; // nanoseconds or microseconds
};
static_assert(sizeof(UserTimePair) == 16);

constexpr u64 NS_PER_MICROSECOND = 1000;

} // namespace

ErrorOr<UserTimeout> read_user_timeout(u64 address, TimeoutFormat format)
{
    UserTimeout timeout;
    timeout.format = format;
    if (!address) {
        timeout.deadline_ns = sched::NO_DEADLINE;
        return timeout;
    }
    UserTimePair pair;
    TRY(user::copy_from_user(pair, user::UserPtr<const UserTimePair>(address)));
    u64 unit = format == TimeoutFormat::Timespec ? 1 : NS_PER_MICROSECOND;
    i64 per_second = static_cast<i64>(ktime::NS_PER_SECOND / unit);
    // select carries whole seconds of microseconds over (Linux's
    // kern_select); a timespec must already be normalized.
    if (format == TimeoutFormat::Timeval && pair.fraction >= per_second && pair.seconds >= 0) {
        i64 carry = pair.fraction / per_second;
        pair.seconds = pair.seconds > INT64_MAX - carry ? INT64_MAX : pair.seconds + carry;
        pair.fraction %= per_second;
    }
    if (pair.seconds < 0 || pair.fraction < 0 || pair.fraction >= per_second)
        return Error::from_errno(EINVAL);
    timeout.address = address;
    timeout.zero = pair.seconds == 0 && pair.fraction == 0;
    // Clamp absurd lengths: ~292 years of nanoseconds still fit in a u64.
    u64 seconds = min<u64>(static_cast<u64>(pair.seconds), ~u64(0) / ktime::NS_PER_SECOND - 1);
    timeout.deadline_ns = deadline_after(seconds * ktime::NS_PER_SECOND + static_cast<u64>(pair.fraction) * unit);
    return timeout;
}

void write_back_time_left(const UserTimeout& timeout)
{
    if (!timeout.address || timeout.zero)
        return;
    u64 left = time_left(timeout.deadline_ns);
    u64 unit = timeout.format == TimeoutFormat::Timespec ? 1 : NS_PER_MICROSECOND;
    UserTimePair pair { static_cast<i64>(left / ktime::NS_PER_SECOND),
        static_cast<i64>((left % ktime::NS_PER_SECOND) / unit) };
    (void)user::copy_to_user(user::UserPtr<UserTimePair>(timeout.address), pair);
}

} // namespace kpoll
