#pragma once

// Random bytes for user space: AT_RANDOM (the 16 bytes libc seeds its stack
// protector and pointer guard with) and getrandom(2).
//
// With RDRAND (x86::read_hardware_random) every word comes from the CPU's
// generator. Without it, words come from SplitMix64 over a state that each
// call advances and stirs with the time-stamp counter: unpredictable enough to
// tell runs apart, but NOT cryptographically strong. The kernel has no entropy
// pool yet; `entropy_source()` says which case holds.
#include <kernel/lib/Span.h>
#include <kernel/lib/StringView.h>

namespace user {

void fill_random(Span<u8> buffer);
StringView entropy_source(); // "rdrand" or "tsc-mix"

} // namespace user
