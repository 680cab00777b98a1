#pragma once

// Invariant checks for kernel/lib. The containers here are shared by the
// kernel and the host tests, so they cannot use kernel/core/Panic.h's VERIFY.
// Instead they call lib::verify_failed(), which each side implements: the
// kernel panics (kernel/core/Assertions.cpp), the host test support prints
// and aborts so GoogleTest death tests can observe it
// (tests/unit/support/HostAllocator.cpp). Like VERIFY, these are for broken
// kernel invariants only, never for bad input.

namespace lib {

[[noreturn]] void verify_failed(const char* condition, const char* file, int line);

} // namespace lib

#define LIB_VERIFY(condition)                                     \
    do {                                                          \
        if (!(condition)) [[unlikely]]                            \
            ::lib::verify_failed(#condition, __FILE__, __LINE__); \
    } while (0)

#define LIB_VERIFY_NOT_REACHED() ::lib::verify_failed("not reached", __FILE__, __LINE__)
