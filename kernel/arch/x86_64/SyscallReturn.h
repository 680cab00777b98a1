#pragma once

// When may a system call return with SYSRET instead of IRET?
//
// SYSRET loads RIP from RCX and RFLAGS from R11 and forces the user CS and SS
// from IA32_STAR (Intel SDM vol. 2B, SYSRET). If RCX holds a non-canonical
// address, Intel CPUs raise #GP *in ring 0*, with the user's RSP already
// loaded: a user-controlled kernel stack (CVE-2012-0217). So SYSRET is used
// only when the frame is exactly what SYSCALL left: RCX = RIP and R11 =
// RFLAGS, RIP in the canonical lower half, the flat user selectors, and
// neither TF (SYSRET would trap at once) nor RF set. Anything else returns
// through IRET, which takes the frame as it is. A frame whose RIP is not a
// user address at all never returns (the syscall layer ends the program,
// see Syscall.cpp): IRET would fault on it in ring 0 as well.
//
// Pure functions of the frame: unit-tested on the host.
#include <kernel/arch/x86_64/InterruptFrame.h>
#include <kernel/arch/x86_64/SyscallEntry.h>
#include <kernel/mm/Layout.h>

namespace x86 {

inline constexpr u64 RFLAGS_TRAP = u64(1) << 8;
inline constexpr u64 RFLAGS_RESUME = u64(1) << 16;

// In the lower canonical half, below USER_END = 2^47.
constexpr bool is_user_address(u64 address)
{
    return address < mm::USER_END;
}

constexpr bool can_return_with_sysret(const InterruptFrame& frame)
{
    return frame.rcx == frame.rip && frame.r11 == frame.rflags && is_user_address(frame.rip)
        && frame.cs == X86_USER_CODE_SELECTOR && frame.ss == X86_USER_DATA_SELECTOR
        && (frame.rflags & (RFLAGS_TRAP | RFLAGS_RESUME)) == 0;
}

} // namespace x86
