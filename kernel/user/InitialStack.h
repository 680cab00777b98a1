#pragma once

// The initial process stack of the System V x86-64 ABI (psABI 3.4.1,
// "Initial Stack and Register State", figure 3.9), built in a kernel buffer
// that the loader then copies to the top of the user stack. From the initial
// RSP upwards:
//
//   argc                              RSP, 16-byte aligned
//   argv[0] .. argv[argc - 1], NULL
//   envp[0] .. envp[n - 1], NULL
//   auxv pairs (type, value) ..., the caller's entries, then AT_RANDOM,
//                                     AT_EXECFN and AT_NULL
//   padding to 16 bytes
//   16 random bytes                   (AT_RANDOM points here)
//   argument strings, environment strings (NUL-terminated, argv first)
//   8 zero bytes                      end marker, just below stack_top
//
// AT_EXECFN points at argv[0]'s string (the name the program was run as).
// Portable: host tests read the result back.
#include <kernel/lib/Error.h>
#include <kernel/lib/Span.h>
#include <kernel/lib/StringView.h>

namespace user {

inline constexpr usize MAX_ARGUMENTS = 1024;
inline constexpr usize MAX_ENVIRONMENT = 1024;
inline constexpr usize AT_RANDOM_BYTES = 16;

struct AuxEntry {
    u64 type;
    u64 value;
};

struct InitialStackContents {
    Span<const StringView> arguments; // at least one: argv[0]
    Span<const StringView> environment;
    Span<const AuxEntry> auxiliary; // without AT_RANDOM, AT_EXECFN, AT_NULL
    Span<const u8> random;          // AT_RANDOM_BYTES bytes
};

// Fills the end of `memory`, which will be mapped to end at `stack_top`, and
// returns the initial RSP. `stack_top` must be 16-byte aligned. E2BIG when
// the contents do not fit in `memory` or exceed the MAX_* counts; EINVAL
// without argv[0] or with a wrong-sized random block or a string holding a NUL.
ErrorOr<VirtAddr> build_initial_stack(Span<u8> memory, VirtAddr stack_top, const InitialStackContents& contents);

} // namespace user
