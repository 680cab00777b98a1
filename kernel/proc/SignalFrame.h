#pragma once

// The frame a signal handler runs on: Linux's x86_64 struct rt_sigframe
// (arch/x86/include/asm/sigframe.h), so that programs and libcs written for
// Linux find what they expect:
//
//   rsp ->  pretcode            sa_restorer: the handler's return address
//           struct ucontext     flags, link, stack, mcontext (struct
//                               sigcontext, arch/x86/include/uapi/asm/
//                               sigcontext.h), the 8-byte blocked mask
//           siginfo_t           128 bytes
//           ...                 (alignment)
//           fxsave area         512 bytes, 64-byte aligned, mcontext.fpstate
//   old rsp - 128 (the red zone is skipped)
//
// The handler starts with RDI = signal, RSI = &info, RDX = &uc, RAX = 0,
// RSP + 8 16-byte aligned (as after a call), DF and TF clear.
//
// rt_sigreturn reads the frame back at RSP - 8 (the handler's `ret` popped
// pretcode) and validates it: CS and SS are forced to the user selectors,
// RFLAGS takes only Linux's FIX_EFLAGS bits from the frame (IF always set,
// IOPL 0), RIP must be a user address (the syscall path checks), MXCSR is
// masked to the bits the CPU supports, so a forged frame cannot reach ring 0
// or fault the kernel.
#include <kernel/arch/x86_64/InterruptFrame.h>
#include <kernel/lib/Error.h>
#include <kernel/proc/SignalState.h>

namespace proc {

struct SignalInfo {
    int signal;
    int code;       // SI_USER (0), SI_KERNEL (0x80), or a fault's code
    i32 sender_pid; // for SI_USER
    u64 address;    // for faults: si_addr
};

// Puts the frame on the user stack of `frame` and points `frame` at the
// handler. `old_blocked` is the mask the handler's return restores. EFAULT
// when the stack cannot hold it.
ErrorOr<void> push_signal_frame(
    x86::InterruptFrame& frame, const SignalAction& action, const SignalInfo& info, u64 old_blocked);

// rt_sigreturn: restores `frame`, the FPU state and (through `blocked`) the
// mask from the frame at frame.rsp - 8. Returns the restored RAX. EFAULT for
// an unreadable frame.
ErrorOr<u64> pop_signal_frame(x86::InterruptFrame& frame, u64& blocked);

} // namespace proc
