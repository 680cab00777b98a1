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
    int code;       // SI_USER (0), SI_TKILL, SI_KERNEL (0x80), CLD_*, or a fault's code
    i32 sender_pid; // for SI_USER, SI_TKILL and SIGCHLD
    u64 address;    // for faults: si_addr
    u32 sender_uid { 0 };
    i32 status { 0 }; // SIGCHLD: the exit code or signal
};

// Puts the frame on the user stack of `frame` (or on `alternate`, the
// alternate stack, for an SA_ONSTACK action when the stack pointer is not on
// it already) and points `frame` at the handler. `old_blocked` is the mask
// the handler's return restores. EFAULT when the stack cannot hold it.
ErrorOr<void> push_signal_frame(x86::InterruptFrame& frame, const SignalAction& action, const SignalInfo& info,
    u64 old_blocked, AlternateStack& alternate);

// rt_sigreturn: restores `frame`, the FPU state, (through `blocked`) the
// mask and the alternate stack saved in the frame at frame.rsp - 8. Returns
// the restored RAX. EFAULT for an unreadable frame.
ErrorOr<u64> pop_signal_frame(x86::InterruptFrame& frame, u64& blocked, AlternateStack& alternate);

// Writes `info` as Linux's 128-byte siginfo_t at `address`: EFAULT.
ErrorOr<void> copy_signal_info_to_user(u64 address, const SignalInfo& info);

// sigaltstack(2)'s stack_t flags.
inline constexpr i32 STACK_ON = 1;                      // SS_ONSTACK
inline constexpr i32 STACK_DISABLE = 2;                 // SS_DISABLE
inline constexpr i32 STACK_AUTO_DISARM = i32(1u << 31); // SS_AUTODISARM
inline constexpr u64 MIN_SIGNAL_STACK_SIZE = 2048;      // MINSIGSTKSZ

// The flags sigaltstack reports for `alternate` at `stack_pointer`.
i32 alternate_stack_flags(const AlternateStack& alternate, u64 stack_pointer);

} // namespace proc
