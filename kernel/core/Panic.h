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

// The two halves of a panic, for panic screens that print more than a message
// (the CPU exception handler):
//   begin_panic();  // interrupts off; prints "\n*** KERNEL PANIC *** "
//   ...print the details with console::print...
//   end_panic();    // stops every CPU
// begin_panic() does not return if a panic is already in progress (a fault
// while panicking, or a second CPU panicking): that CPU just stops.
void begin_panic();
[[noreturn]] void end_panic();
// True once some CPU has begun to panic. An NMI that finds this set was sent
// to stop this CPU.
bool panic_in_progress();

// Prints "Backtrace:" and "  #n 0x<16 hex digits> function+0xoff" lines for
// the frame-pointer chain starting at `frame_pointer` (0: the caller's frame).
void print_backtrace(u64 frame_pointer = 0);
// The same for a trap frame: frame #0 is the interrupted instruction itself,
// then the callers found from the interrupted frame pointer.
void print_backtrace(u64 instruction_pointer, u64 frame_pointer);

enum class AddressKind : u8 {
    Instruction,
    // Looked up at address - 1: a call at the very end of a function returns
    // to the first byte of the next one.
    ReturnAddress,
};
// Prints "function+0xoff" for a code address, or "?" when no symbol covers it.
void print_symbolized(u64 address, AddressKind kind);

} // namespace kernel

#define VERIFY(condition)                                                                  \
    do {                                                                                   \
        if (!(condition)) [[unlikely]]                                                     \
            ::kernel::panic("VERIFY failed: {} at {}:{}", #condition, __FILE__, __LINE__); \
    } while (0)

#define VERIFY_NOT_REACHED() ::kernel::panic("VERIFY_NOT_REACHED at {}:{}", __FILE__, __LINE__)
