// Kernel panic: print, backtrace, stop. Interrupts go off first so nothing
// else runs; a nested panic (a fault while panicking) stops at once.
#include <kernel/arch/Cpu.h>
#include <kernel/console/Console.h>
#include <kernel/core/Panic.h>
#include <kernel/core/Symbols.h>

namespace kernel {

namespace {
bool s_panicking = false;
}

void print_backtrace(u64 frame_pointer)
{
    if (!frame_pointer)
        frame_pointer = reinterpret_cast<u64>(__builtin_frame_address(0));
    console::print("Backtrace:\n");
    for (int depth = 0; depth < 32 && frame_pointer; ++depth) {
        // Frames live on kernel stacks in the higher half and are 8-byte aligned;
        // anything else means the chain is broken, so stop rather than fault.
        if (frame_pointer < 0xffff800000000000 || (frame_pointer & 7))
            break;
        auto* frame = reinterpret_cast<u64*>(frame_pointer);
        u64 return_address = frame[1];
        if (return_address == 0)
            break;
        auto symbol = symbols::lookup(return_address - 1);
        if (symbol.name.is_empty())
            console::print("  #{} {:#018x}\n", depth, return_address);
        else
            console::print(
                "  #{} {:#018x} {}+{:#x}\n", depth, return_address, symbol.name, return_address - symbol.address);
        frame_pointer = frame[0];
    }
}

void vpanic(StringView fmt, Span<const lib::FormatArg> args)
{
    arch::disable_interrupts();
    if (s_panicking)
        arch::halt_forever();
    s_panicking = true;
    console::write("\n*** KERNEL PANIC ***\n");
    lib::vformat(console::sink(), fmt, args);
    console::write("\n");
    print_backtrace();
    console::write("System halted.\n");
    arch::halt_forever();
}

} // namespace kernel

namespace lib {

void must_failed(const char* expression, Error error, const char* file, int line)
{
    kernel::panic("MUST({}) failed with {} at {}:{}", expression, error, file, line);
}

} // namespace lib
