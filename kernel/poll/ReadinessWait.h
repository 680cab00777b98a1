#pragma once

// How poll, select and epoll_wait sleep until something they watch changes
// (no busy waiting): one ReadinessWait per call registers a watch on the
// readiness key of every file it looks at (ReadinessWatch.h); a change to
// any of those keys marks the wait notified and wakes the sleeping thread.
//
//   ReadinessWait wait;
//   TRY(wait.reserve(count));  wait.watch(file->readiness_key()) ...
//   for (;;) {
//       wait.arm();                      // before looking, so no change is lost
//       if (look() || ...) break;
//       TRY(wait.sleep(deadline));       // ETIMEDOUT, EINTR
//   }
//
// Only the registration allocates (reserve); the notification path sets an
// atomic and wakes a wait queue under the scheduler lock, nothing more.
#include <fs/vfs/ReadinessWatch.h>
#include <kernel/lib/Atomic.h>
#include <kernel/lib/Error.h>
#include <kernel/sched/WaitQueue.h>

namespace kpoll {

class ReadinessWait final : private fs::ReadinessWatcher {
public:
    ReadinessWait() = default;
    ~ReadinessWait();
    ReadinessWait(const ReadinessWait&) = delete;
    ReadinessWait& operator=(const ReadinessWait&) = delete;

    // Room for `count` watches. ENOMEM.
    ErrorOr<void> reserve(usize count);
    // Watches `key` (at most `count` times in all). Keys may repeat.
    void watch(const void* key);
    // Forgets earlier notifications: call before each look at the files.
    void arm() { m_notified.store(false, MemoryOrder::SequentiallyConsistent); }
    // Sleeps until a watched key changes after arm(), the monotonic clock
    // reaches `deadline_ns` (sched::NO_DEADLINE: never; ETIMEDOUT) or a
    // signal is to be taken (EINTR).
    ErrorOr<void> sleep(u64 deadline_ns);

private:
    fs::ReadinessRelay* readiness_changed_locked(const void* key) override;

    fs::ReadinessWatch* m_watches { nullptr };
    usize m_capacity { 0 };
    usize m_count { 0 };
    Atomic<bool> m_notified { false };
    sched::WaitQueue m_queue;
};

// The deadline `duration_ns` from now, saturating.
u64 deadline_after(u64 duration_ns);
// Nanoseconds from now to `deadline_ns` (0 once passed).
u64 time_left(u64 deadline_ns);

} // namespace kpoll
