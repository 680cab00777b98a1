#pragma once

// The register frame every interrupt and exception stub builds on the kernel
// stack (InterruptStubs.S): general registers, then vector and error code,
// then what the CPU pushed (Intel SDM vol. 3A, 6.14.1, 64-bit mode stack frame).
#include <kernel/lib/Types.h>

namespace x86 {

struct InterruptFrame {
    u64 r15, r14, r13, r12, r11, r10, r9, r8;
    u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
    u64 vector;
    u64 error_code; // 0 for vectors where the CPU pushes none
    u64 rip, cs, rflags, rsp, ss;
};

static_assert(sizeof(InterruptFrame) == 22 * sizeof(u64));

} // namespace x86
