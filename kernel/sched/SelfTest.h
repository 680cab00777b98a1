#pragma once

// The scheduler's in-kernel self-test (kshell `schedtest`): real threads on
// the real scheduler. Mutual exclusion under contention, producer/consumer
// over semaphores and over condition variables, broadcast, timeouts, sleep
// accuracy and wake-up order, priority order and preemption (on wake-up and
// by the timer), the idle class, fair sharing by weight, FPU state per
// thread, and thread exit and reaping.
//
// Each check prints a line "  <check>: <what was measured>" to `out`. The
// result is true when all passed; otherwise `failure` holds the first failed
// check's description. Must run in a thread that may block (kshell).
#include <kernel/lib/Format.h>

namespace sched {

bool run_self_test(FormatSink& out, char* failure, usize failure_capacity);

} // namespace sched
