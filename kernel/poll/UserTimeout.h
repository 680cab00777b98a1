#pragma once

// The timeouts of the waiting calls as user space passes them (timespec for
// ppoll, pselect6; timeval for select) turned into monotonic deadlines, and
// the time left written back the way Linux does (poll_select_finish).
#include <kernel/lib/Error.h>

namespace kpoll {

// A relative timeout in user memory, kind by layout.
enum class TimeoutFormat : u8 {
    Timespec, // struct timespec: seconds, nanoseconds
    Timeval,  // struct timeval: seconds, microseconds
};

struct UserTimeout {
    u64 address { 0 };     // 0: wait forever
    u64 deadline_ns { 0 }; // sched::NO_DEADLINE when address is 0
    bool zero { false };   // the timeout was 0: poll once and never write back
    TimeoutFormat format { TimeoutFormat::Timespec };
};

// Reads and checks the timeout at `address` (EFAULT; EINVAL for negative
// or out-of-range fields).
ErrorOr<UserTimeout> read_user_timeout(u64 address, TimeoutFormat format);
// Writes the time left before the deadline back (nothing for a null or zero
// timeout). A failed write is ignored, as Linux ignores it.
void write_back_time_left(const UserTimeout& timeout);

} // namespace kpoll
