#pragma once

// Host test control over lib::allocate and over nothrow operator new (which
// lib::new_object, try_make and try_make_ref_counted use on the host), so
// tests can drive ENOMEM paths and count what is live.
//
//   {
//       host_allocator::FailureScope scope;              // every allocation fails
//       EXPECT_EQ(vector.try_append(1).error().code(), ENOMEM);
//   }
//   host_allocator::FailureScope scope(3);               // the 4th one on fails
#include <kernel/lib/Types.h>

namespace host_allocator {

// Allocations succeed `successes` more times, then fail until reset().
void fail_after(usize successes);
void reset();

// Counters since program start: calls that succeeded and that were refused,
// and blocks currently live (lib::allocate minus lib::deallocate).
usize allocation_count();
usize failure_count();
usize live_allocations();

class FailureScope {
public:
    explicit FailureScope(usize successes = 0) { fail_after(successes); }
    ~FailureScope() { reset(); }
    FailureScope(const FailureScope&) = delete;
    FailureScope& operator=(const FailureScope&) = delete;
};

} // namespace host_allocator
