// poll and ppoll (poll(2)): wait until one of a set of fds is ready.
//
// Every entry's revents is its file's events (fs/vfs/PollEvents.h) limited
// to what it asked for plus POLLERR and POLLHUP; a negative fd is skipped
// (revents 0); an fd that is not open is POLLNVAL. The call returns the
// number of entries with a nonzero revents, after sleeping on the files'
// readiness keys (kernel/poll/ReadinessWait.h) until that number is not 0,
// the timeout passes (0) or a signal comes (EINTR). revents are written
// back in every case, as Linux does.
#include <fs/vfs/PollEvents.h>
#include <kernel/lib/Placement.h>
#include <kernel/poll/ReadinessWait.h>
#include <kernel/poll/TemporarySignalMask.h>
#include <kernel/poll/UserTimeout.h>
#include <kernel/sched/TimerQueue.h>
#include <kernel/syscalls/Handlers.h>
#include <kernel/time/Clock.h>
#include <kernel/user/UserPtr.h>

namespace syscalls {

namespace {

// struct pollfd.
struct PollFd {
    i32 fd;
    i16 events;
    i16 revents;
};
static_assert(sizeof(PollFd) == 8);

struct PollEntry {
    PollFd request;
    RefPtr<fs::OpenFile> file;
};

// The number of entries with events now, their revents updated.
usize scan(PollEntry* entries, usize count)
{
    usize ready = 0;
    for (usize i = 0; i < count; ++i) {
        PollEntry& entry = entries[i];
        u32 revents = 0;
        if (entry.request.fd >= 0) {
            if (!entry.file)
                revents = fs::poll_bits::Invalid;
            else
                revents = fs::poll_bits::readiness_of(*entry.file)
                    & (static_cast<u16>(entry.request.events) | fs::poll_bits::ALWAYS);
        }
        entry.request.revents = static_cast<i16>(revents);
        if (revents)
            ++ready;
    }
    return ready;
}

ErrorOr<u64> do_poll(u64 address, u64 count, const kpoll::UserTimeout& timeout)
{
    proc::Process& process = current_process();
    if (count > process.files().limit())
        return Error::from_errno(EINVAL);
    auto* entries = new (std::nothrow) PollEntry[count ? count : 1];
    if (!entries)
        return Error::from_errno(ENOMEM);
    struct Release {
        PollEntry* entries;
        ~Release() { delete[] entries; }
    } release { entries };

    for (usize i = 0; i < count; ++i) {
        TRY(user::copy_from_user(entries[i].request, user::UserPtr<const PollFd>(address + i * sizeof(PollFd))));
        if (entries[i].request.fd >= 0) {
            auto file = process.files().get(entries[i].request.fd);
            if (!file.is_error())
                entries[i].file = file.release_value();
        }
    }

    kpoll::ReadinessWait wait;
    TRY(wait.reserve(count));
    for (usize i = 0; i < count; ++i) {
        if (entries[i].file)
            wait.watch(entries[i].file->readiness_key());
    }

    auto result = [&]() -> ErrorOr<u64> {
        for (;;) {
            wait.arm();
            usize ready = scan(entries, count);
            if (ready || timeout.zero)
                return ready;
            auto slept = wait.sleep(timeout.deadline_ns);
            if (slept.is_error()) {
                if (slept.error().code() != ETIMEDOUT)
                    return slept.release_error(); // EINTR
                return scan(entries, count);      // one last look, as Linux
            }
        }
    }();

    for (usize i = 0; i < count; ++i) {
        u64 field = address + i * sizeof(PollFd) + offsetof(PollFd, revents);
        TRY(user::copy_to_user(user::UserPtr<i16>(field), entries[i].request.revents));
    }
    return result;
}

} // namespace

// poll(fds, nfds, timeout_ms): a negative timeout waits forever. EINVAL for
// nfds over RLIMIT_NOFILE, EFAULT, ENOMEM, EINTR.
SYSCALL_HANDLER(poll)
{
    kpoll::UserTimeout timeout;
    i32 milliseconds = static_cast<i32>(arguments[2]);
    if (milliseconds < 0) {
        timeout.deadline_ns = sched::NO_DEADLINE;
    } else {
        timeout.zero = milliseconds == 0;
        timeout.deadline_ns = kpoll::deadline_after(static_cast<u64>(milliseconds) * 1'000'000);
    }
    return do_poll(arguments[0], static_cast<u32>(arguments[1]), timeout);
}

// ppoll(fds, nfds, timeout, sigmask, sigsetsize): the timeout is a timespec
// (null: forever; the time left is written back), the mask replaces the
// blocked set for the wait (TemporarySignalMask.h).
SYSCALL_HANDLER(ppoll)
{
    auto timeout = TRY(kpoll::read_user_timeout(arguments[2], kpoll::TimeoutFormat::Timespec));
    kpoll::TemporarySignalMask mask;
    TRY(mask.install(arguments[3], arguments[4]));
    auto result = do_poll(arguments[0], static_cast<u32>(arguments[1]), timeout);
    bool interrupted = result.is_error() && result.error().code() == EINTR;
    mask.finish(interrupted);
    kpoll::write_back_time_left(timeout);
    return result;
}

} // namespace syscalls
