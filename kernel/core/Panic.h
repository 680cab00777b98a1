#pragma once

// panic(): the kernel found one of its own invariants broken. Prints the
// message and a backtrace on the console, then stops every CPU. Never call it
// for bad input from user space, a disk or the network: return an error.
#include <kernel/lib/Format.h>

namespace kernel {

[[noreturn]] void vpanic(StringView fmt, Span<const lib::FormatArg> args);

template<typename... Args>
[[noreturn]] void panic(StringView fmt, const Args&... args)
{
    const lib::FormatArg list[] = { lib::make_format_arg(args)..., lib::FormatArg { lib::FormatArg::Kind::Bool, {} } };
    vpanic(fmt, Span<const lib::FormatArg>(list, sizeof...(Args)));
}

// Prints "  #n 0x... function+0xoff" lines for the frame-pointer chain starting
// at `frame_pointer` (0 means the caller's frame).
void print_backtrace(u64 frame_pointer = 0);

} // namespace kernel

#define VERIFY(condition)                                                                  \
    do {                                                                                   \
        if (!(condition)) [[unlikely]]                                                     \
            ::kernel::panic("VERIFY failed: {} at {}:{}", #condition, __FILE__, __LINE__); \
    } while (0)

#define VERIFY_NOT_REACHED() ::kernel::panic("VERIFY_NOT_REACHED at {}:{}", __FILE__, __LINE__)
