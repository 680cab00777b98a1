// The global port event count; see PortEvents.h.
#include <ipc/PortEvents.h>
#include <kernel/lib/Atomic.h>
#include <kernel/sched/WaitQueue.h>

namespace ipc::port_events {

namespace {

constinit Atomic<u64> s_count {};
constinit Atomic<u32> s_waiters {};
[[clang::no_destroy]] constinit sched::WaitQueue s_queue;

} // namespace

u64 current()
{
    return s_count.load();
}

void signal()
{
    s_count.fetch_add(1);
    if (s_waiters.load() != 0)
        s_queue.wake_all();
}

ErrorOr<void> wait_for_change(u64 seen, u64 deadline_ns)
{
    s_waiters.fetch_add(1);
    auto result = s_queue.wait_until_interruptible([&] { return s_count.load() != seen; }, deadline_ns);
    s_waiters.fetch_sub(1);
    return result;
}

} // namespace ipc::port_events
