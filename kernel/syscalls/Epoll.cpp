// epoll_create, epoll_create1, epoll_ctl, epoll_wait and epoll_pwait
// (epoll(7)) over fs::EpollFile (fs/epoll/Epoll.h), with the argument
// checks in Linux's order (fs/eventpoll.c).
#include <fs/epoll/Epoll.h>
#include <fs/vfs/PollEvents.h>
#include <kernel/api/fcntl.h>
#include <kernel/lib/Placement.h>
#include <kernel/poll/ReadinessWait.h>
#include <kernel/poll/TemporarySignalMask.h>
#include <kernel/sched/TimerQueue.h>
#include <kernel/syscalls/Handlers.h>
#include <kernel/user/UserPtr.h>

namespace syscalls {

namespace {

// Linux's EP_MAX_EVENTS.
constexpr u64 MAX_EVENTS = 0x7fffffff / sizeof(fs::EpollEvent);
// Events gathered per epoll_wait at most (the kernel buffer's size).
constexpr u64 EVENTS_PER_CALL = 1024;

ErrorOr<u64> create_instance(u64 flags)
{
    if (flags & ~static_cast<u64>(O_CLOEXEC))
        return Error::from_errno(EINVAL);
    auto instance = TRY(fs::EpollFile::try_create(static_cast<u32>(flags)));
    auto close_on_exec = (flags & O_CLOEXEC) ? fs::CloseOnExec::Yes : fs::CloseOnExec::No;
    return TRY(current_process().files().allocate(lib::move(instance), close_on_exec));
}

bool is_epoll(const fs::OpenFile& file)
{
    return file.kind_name() == StringView("epoll");
}

ErrorOr<u64> wait_for_events(int epoll_fd, u64 events_address, int max_events, i32 timeout_ms)
{
    if (max_events <= 0 || static_cast<u64>(max_events) > MAX_EVENTS)
        return Error::from_errno(EINVAL);
    if (!user::is_user_range(events_address, static_cast<u64>(max_events) * sizeof(fs::EpollEvent)))
        return Error::from_errno(EFAULT);
    auto file = TRY(current_process().files().get(epoll_fd));
    if (!is_epoll(*file))
        return Error::from_errno(EINVAL);
    auto& instance = static_cast<fs::EpollFile&>(*file);

    usize capacity = min<u64>(static_cast<u64>(max_events), EVENTS_PER_CALL);
    auto* events = new (std::nothrow) fs::EpollEvent[capacity];
    if (!events)
        return Error::from_errno(ENOMEM);
    struct Release {
        fs::EpollEvent* events;
        ~Release() { delete[] events; }
    } release { events };

    u64 deadline
        = timeout_ms < 0 ? sched::NO_DEADLINE : kpoll::deadline_after(static_cast<u64>(timeout_ms) * 1'000'000);
    kpoll::ReadinessWait wait;
    TRY(wait.reserve(1));
    wait.watch(instance.readiness_key());
    usize count = 0;
    for (;;) {
        wait.arm();
        count = instance.collect(events, capacity);
        if (count || timeout_ms == 0)
            break;
        auto slept = wait.sleep(deadline);
        if (slept.is_error()) {
            if (slept.error().code() != ETIMEDOUT)
                return slept.release_error();
            count = instance.collect(events, capacity);
            break;
        }
    }
    TRY(user::copy_to_user(user::UserPtr<void>(events_address), events, count * sizeof(fs::EpollEvent)));
    return count;
}

} // namespace

// epoll_create(size): size only has to be positive (EINVAL).
SYSCALL_HANDLER(epoll_create)
{
    if (static_cast<i32>(arguments[0]) <= 0)
        return Error::from_errno(EINVAL);
    return create_instance(0);
}

// epoll_create1(flags): EPOLL_CLOEXEC (O_CLOEXEC) only, else EINVAL.
SYSCALL_HANDLER(epoll_create1)
{
    return create_instance(static_cast<u32>(arguments[0]));
}

// epoll_ctl(epfd, op, fd, event): EFAULT (ADD and MOD read the event
// first), EBADF, EPERM for files that are always ready, EINVAL, EEXIST,
// ENOENT, ELOOP, ENOMEM.
SYSCALL_HANDLER(epoll_ctl)
{
    int operation = static_cast<int>(arguments[1]);
    bool has_event = operation != static_cast<int>(fs::EpollOperation::Delete);
    fs::EpollEvent event { 0, 0 };
    if (has_event)
        TRY(user::copy_from_user(event, user::UserPtr<const fs::EpollEvent>(arguments[3])));
    proc::Process& process = current_process();
    auto instance = TRY(process.files().get(static_cast<int>(arguments[0])));
    int fd = static_cast<int>(arguments[2]);
    auto target = TRY(process.files().get(fd));
    if (!fs::poll_bits::has_readiness_events(*target))
        return Error::from_errno(EPERM);
    if (instance.ptr() == target.ptr() || !is_epoll(*instance))
        return Error::from_errno(EINVAL);
    TRY(static_cast<fs::EpollFile&>(*instance).control(
        static_cast<fs::EpollOperation>(operation), fd, *target, has_event ? &event : nullptr));
    return 0;
}

// epoll_wait(epfd, events, maxevents, timeout_ms): the number of events
// written (0 on timeout). EINVAL, EFAULT, EBADF, EINTR.
SYSCALL_HANDLER(epoll_wait)
{
    return wait_for_events(
        static_cast<int>(arguments[0]), arguments[1], static_cast<int>(arguments[2]), static_cast<i32>(arguments[3]));
}

// epoll_pwait(epfd, events, maxevents, timeout_ms, sigmask, sigsetsize):
// with the mask in force during the wait (TemporarySignalMask.h).
SYSCALL_HANDLER(epoll_pwait)
{
    kpoll::TemporarySignalMask mask;
    TRY(mask.install(arguments[4], arguments[5]));
    auto result = wait_for_events(
        static_cast<int>(arguments[0]), arguments[1], static_cast<int>(arguments[2]), static_cast<i32>(arguments[3]));
    mask.finish(result.is_error() && result.error().code() == EINTR);
    return result;
}

} // namespace syscalls
