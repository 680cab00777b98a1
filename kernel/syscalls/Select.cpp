// select and pselect6 (select(2)): wait until one of three fd sets has a
// ready member.
//
// As Linux: nfds is clamped to the fd limit; every fd in a set must be open
// (EBADF before any waiting); an fd is readable for POLLIN, POLLRDNORM,
// POLLRDBAND, POLLHUP or POLLERR, writable for POLLOUT, POLLWRNORM,
// POLLWRBAND or POLLERR, exceptional for POLLPRI. The sets are rewritten
// with the ready fds (emptied on a timeout, untouched on EINTR), the call
// returns how many bits are set in all, and the time left is written back
// to the timeout (select's timeval and pselect6's timespec alike).
#include <fs/vfs/PollEvents.h>
#include <kernel/lib/Placement.h>
#include <kernel/poll/ReadinessWait.h>
#include <kernel/poll/TemporarySignalMask.h>
#include <kernel/poll/UserTimeout.h>
#include <kernel/syscalls/Handlers.h>
#include <kernel/user/UserPtr.h>

namespace syscalls {

namespace {

namespace bits = fs::poll_bits;

constexpr u32 READ_EVENTS = bits::In | bits::ReadNormal | bits::ReadBand | bits::HangUp | bits::Error;
constexpr u32 WRITE_EVENTS = bits::Out | bits::WriteNormal | bits::WriteBand | bits::Error;
constexpr u32 EXCEPT_EVENTS = bits::Priority;
constexpr usize SET_COUNT = 3;
constexpr u32 SET_EVENTS[SET_COUNT] = { READ_EVENTS, WRITE_EVENTS, EXCEPT_EVENTS };
constexpr usize BITS_PER_WORD = 64;

struct FdSets {
    u64 addresses[SET_COUNT];
    usize words; // per set
    u64* wanted; // SET_COUNT * words, set by set
    u64* ready;
};

bool is_set(const u64* words, usize fd)
{
    return words[fd / BITS_PER_WORD] & (u64(1) << (fd % BITS_PER_WORD));
}

usize scan(FdSets& sets, RefPtr<fs::OpenFile>* files, usize count)
{
    usize ready = 0;
    __builtin_memset(sets.ready, 0, SET_COUNT * sets.words * sizeof(u64));
    for (usize fd = 0; fd < count; ++fd) {
        if (!files[fd])
            continue;
        u32 events = bits::readiness_of(*files[fd]);
        for (usize set = 0; set < SET_COUNT; ++set) {
            u64* wanted = sets.wanted + set * sets.words;
            if (is_set(wanted, fd) && (events & SET_EVENTS[set])) {
                sets.ready[set * sets.words + fd / BITS_PER_WORD] |= u64(1) << (fd % BITS_PER_WORD);
                ++ready;
            }
        }
    }
    return ready;
}

ErrorOr<u64> do_select(i64 requested, const u64 (&addresses)[SET_COUNT], const kpoll::UserTimeout& timeout)
{
    proc::Process& process = current_process();
    if (requested < 0)
        return Error::from_errno(EINVAL);
    usize count = min<usize>(static_cast<usize>(requested), process.files().limit());
    usize words = (count + BITS_PER_WORD - 1) / BITS_PER_WORD;
    usize bytes = words * sizeof(u64); // Linux copies whole longs of the user's sets

    FdSets sets { { addresses[0], addresses[1], addresses[2] }, words, nullptr, nullptr };
    auto* storage = new (std::nothrow) u64[2 * SET_COUNT * (words ? words : 1)];
    auto* files = new (std::nothrow) RefPtr<fs::OpenFile>[count ? count : 1];
    struct Release {
        u64* storage;
        RefPtr<fs::OpenFile>* files;
        ~Release()
        {
            delete[] storage;
            delete[] files;
        }
    } release { storage, files };
    if (!storage || !files)
        return Error::from_errno(ENOMEM);
    sets.wanted = storage;
    sets.ready = storage + SET_COUNT * words;
    __builtin_memset(sets.wanted, 0, SET_COUNT * words * sizeof(u64));
    for (usize set = 0; set < SET_COUNT; ++set) {
        if (sets.addresses[set] && bytes)
            TRY(user::copy_from_user(sets.wanted + set * words, user::UserPtr<const void>(sets.addresses[set]), bytes));
    }
    // Bits past nfds in the last word are not looked at.
    if (count % BITS_PER_WORD) {
        for (usize set = 0; set < SET_COUNT; ++set)
            for (usize fd = count; fd < words * BITS_PER_WORD; ++fd)
                sets.wanted[set * words + fd / BITS_PER_WORD] &= ~(u64(1) << (fd % BITS_PER_WORD));
    }

    usize watched = 0;
    for (usize fd = 0; fd < count; ++fd) {
        bool selected = false;
        for (usize set = 0; set < SET_COUNT; ++set)
            selected |= is_set(sets.wanted + set * words, fd);
        if (!selected)
            continue;
        files[fd] = TRY(process.files().get(static_cast<int>(fd))); // EBADF
        ++watched;
    }

    kpoll::ReadinessWait wait;
    TRY(wait.reserve(watched));
    for (usize fd = 0; fd < count; ++fd) {
        if (files[fd])
            wait.watch(files[fd]->readiness_key());
    }

    usize ready = 0;
    for (;;) {
        wait.arm();
        ready = scan(sets, files, count);
        if (ready || timeout.zero)
            break;
        auto slept = wait.sleep(timeout.deadline_ns);
        if (slept.is_error()) {
            if (slept.error().code() != ETIMEDOUT)
                return slept.release_error(); // EINTR: the sets stay as they were
            ready = scan(sets, files, count);
            break;
        }
    }
    for (usize set = 0; set < SET_COUNT; ++set) {
        if (sets.addresses[set] && bytes)
            TRY(user::copy_to_user(user::UserPtr<void>(sets.addresses[set]), sets.ready + set * words, bytes));
    }
    return ready;
}

// pselect6's sixth argument points at { const sigset_t* set; size_t size; }.
struct SignalMaskArgument {
    u64 address;
    u64 size;
};

} // namespace

// select(nfds, readfds, writefds, exceptfds, timeout): timeval timeout,
// null for forever. EBADF, EINVAL, EFAULT, ENOMEM, EINTR.
SYSCALL_HANDLER(select)
{
    auto timeout = TRY(kpoll::read_user_timeout(arguments[4], kpoll::TimeoutFormat::Timeval));
    const u64 addresses[SET_COUNT] = { arguments[1], arguments[2], arguments[3] };
    auto result = do_select(static_cast<i32>(arguments[0]), addresses, timeout);
    kpoll::write_back_time_left(timeout);
    return result;
}

// pselect6(nfds, readfds, writefds, exceptfds, timespec, mask argument).
SYSCALL_HANDLER(pselect6)
{
    auto timeout = TRY(kpoll::read_user_timeout(arguments[4], kpoll::TimeoutFormat::Timespec));
    SignalMaskArgument mask_argument { 0, 0 };
    if (arguments[5])
        TRY(user::copy_from_user(mask_argument, user::UserPtr<const SignalMaskArgument>(arguments[5])));
    kpoll::TemporarySignalMask mask;
    TRY(mask.install(mask_argument.address, mask_argument.size));
    const u64 addresses[SET_COUNT] = { arguments[1], arguments[2], arguments[3] };
    auto result = do_select(static_cast<i32>(arguments[0]), addresses, timeout);
    mask.finish(result.is_error() && result.error().code() == EINTR);
    kpoll::write_back_time_left(timeout);
    return result;
}

} // namespace syscalls
