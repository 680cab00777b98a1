// Kernel panic: print, backtrace, stop.
//
// The first CPU to panic wins s_panicking and prints; interrupts go off first
// so nothing else runs on it. Anything that enters begin_panic() afterwards
// (a fault while printing the panic screen, or another CPU panicking at the
// same time) finds the flag set and halts at once, so a panic never recurses.
//
// Stopping the other CPUs: only the boot CPU runs so far (there is no SMP
// bring-up and no local APIC driver to send IPIs with). When application
// processors start, end_panic() must also send them an NMI; the exception
// handler already halts a CPU that takes an NMI while a panic is in progress.
//
// Backtraces follow the frame-pointer chain (the kernel is built with
// -fno-omit-frame-pointer): [rbp] is the caller's rbp, [rbp + 8] the return
// address. A frame pointer is trusted only if it is 8-byte aligned, in the
// higher half and above the previous one (stacks grow down, so callers' frames
// sit higher); anything else ends the walk instead of faulting.
#include <kernel/arch/Cpu.h>
#include <kernel/console/Console.h>
#include <kernel/core/Panic.h>
#include <kernel/core/Symbols.h>

namespace kernel {

namespace {

bool s_panicking = false;

constexpr u64 HIGHER_HALF = 0xffff800000000000;
constexpr int MAX_FRAMES = 32;

void walk_frames(u64 frame_pointer, int first_index)
{
    u64 previous = 0;
    for (int index = first_index; index < MAX_FRAMES && frame_pointer; ++index) {
        if (frame_pointer < HIGHER_HALF || (frame_pointer & 7) || frame_pointer <= previous
            || frame_pointer > ~u64(0) - 16)
            break;
        auto* frame = reinterpret_cast<const u64*>(frame_pointer);
        u64 return_address = frame[1];
        if (return_address == 0)
            break;
        console::print("  #{} {:#018x} ", index, return_address);
        print_symbolized(return_address, AddressKind::ReturnAddress);
        console::write("\n");
        previous = frame_pointer;
        frame_pointer = frame[0];
    }
}

} // namespace

bool panic_in_progress()
{
    return __atomic_load_n(&s_panicking, __ATOMIC_ACQUIRE);
}

void begin_panic()
{
    arch::disable_interrupts();
    if (__atomic_exchange_n(&s_panicking, true, __ATOMIC_ACQ_REL))
        arch::halt_forever();
    console::write("\n*** KERNEL PANIC *** ");
}

void end_panic()
{
    console::write("System halted.\n");
    arch::halt_forever();
}

void print_symbolized(u64 address, AddressKind kind)
{
    auto symbol = symbols::lookup(kind == AddressKind::ReturnAddress ? address - 1 : address);
    if (symbol.name.is_empty()) {
        console::write("?");
        return;
    }
    console::print("{}+{:#x}", symbols::function_name(symbol.name), address - symbol.address);
}

void print_backtrace(u64 frame_pointer)
{
    if (!frame_pointer)
        frame_pointer = reinterpret_cast<u64>(__builtin_frame_address(0));
    console::write("Backtrace:\n");
    walk_frames(frame_pointer, 0);
}

void print_backtrace(u64 instruction_pointer, u64 frame_pointer)
{
    console::print("Backtrace:\n  #0 {:#018x} ", instruction_pointer);
    print_symbolized(instruction_pointer, AddressKind::Instruction);
    console::write("\n");
    walk_frames(frame_pointer, 1);
}

void vpanic(StringView fmt, Span<const lib::FormatArg> args)
{
    begin_panic();
    lib::vformat(console::sink(), fmt, args);
    console::write("\n");
    // Start at vpanic's own frame: its return address is the panic site.
    print_backtrace(reinterpret_cast<u64>(__builtin_frame_address(0)));
    end_panic();
}

} // namespace kernel

namespace lib {

void must_failed(const char* expression, Error error, const char* file, int line)
{
    kernel::panic("MUST({}) failed with {} at {}:{}", expression, error, file, line);
}

} // namespace lib
