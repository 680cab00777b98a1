// The restart policy of each system call; see RestartPolicy.h.
#include <kernel/api/syscalls.h>
#include <kernel/syscalls/RestartPolicy.h>

namespace syscalls {

namespace {

enum Number : u64 {
#define OSPREY_NAME_NUMBER(name, number) NUMBER_##name = number,
    OSPREY_ENUMERATE_SYSCALLS(OSPREY_NAME_NUMBER)
#undef OSPREY_NAME_NUMBER
};

// Linux numbers of calls not in the shared table yet.
constexpr u64 NUMBER_WAITID = 247;

} // namespace

proc::RestartPolicy restart_policy(u64 number)
{
    switch (number) {
    case NUMBER_read:
    case NUMBER_write:
    case NUMBER_readv:
    case NUMBER_writev:
    case NUMBER_pread64:
    case NUMBER_pwrite64:
    case NUMBER_ioctl:
    case NUMBER_open:
    case NUMBER_openat:
    case NUMBER_wait4:
    case NUMBER_WAITID:
    case NUMBER_accept:
    case NUMBER_accept4:
    case NUMBER_connect:
    case NUMBER_sendto:
    case NUMBER_recvfrom:
    case NUMBER_sendmsg:
    case NUMBER_recvmsg:
    case NUMBER_fcntl:
    case NUMBER_futex:
    case NUMBER_getrandom:
        return proc::RestartPolicy::UnlessHandlerRefuses;
    case NUMBER_pause:
    case NUMBER_rt_sigsuspend:
    case NUMBER_poll:
    case NUMBER_ppoll:
    case NUMBER_select:
    case NUMBER_pselect6:
        return proc::RestartPolicy::UnlessHandled;
    case NUMBER_nanosleep:
    case NUMBER_clock_nanosleep:
    case NUMBER_restart_syscall:
        return proc::RestartPolicy::ThroughSleepRestart;
    default:
        return proc::RestartPolicy::Never;
    }
}

} // namespace syscalls
