#pragma once

// CPU exceptions raised by user code. They are the program's fault, never the
// kernel's: the program ends with the signal Linux would send (arch/x86/kernel/
// traps.c), a line on the console says what happened, and the kernel goes on.
// signal_for_exception() is a pure function (unit-tested); the rest runs in
// the kernel, from the exception handler or the system-call return path.
#include <kernel/user/Signal.h>

namespace user {

inline constexpr u64 GENERAL_PROTECTION_VECTOR = 13;

struct UserFault {
    u64 vector;
    u64 error_code;
    u64 address; // CR2 for a page fault, 0 otherwise
    u64 rip;
    u64 rsp;
    Signal signal; // signal_for_exception(vector), or SIGBUS past a file's end
};

// NMI, #DF and #MC concern the machine, not the program that happened to run.
constexpr bool is_program_fault(u64 vector)
{
    return vector < 32 && vector != 2 && vector != 8 && vector != 18;
}

constexpr Signal signal_for_exception(u64 vector)
{
    switch (vector) {
    case 0:  // #DE divide error
    case 16: // #MF x87 floating-point error
    case 19: // #XM SIMD floating-point exception
        return Signal::Fpe;
    case 1: // #DB
    case 3: // #BP int3
        return Signal::Trap;
    case 6: // #UD invalid opcode
        return Signal::Ill;
    case 17: // #AC alignment check
        return Signal::Bus;
    default: // #PF, #GP, #SS, #NP, #TS, #OF, #BR, #CP, ...
        return Signal::Segv;
    }
}

// Reports the fault on the console and ends the current program with
// fault.signal. Interrupts may be off.
[[noreturn]] void terminate_after_fault(const UserFault& fault);

} // namespace user
