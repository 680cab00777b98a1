#pragma once

// Constants shared by the assembly of the user boundary (SyscallEntry.S,
// UserCopy.S, InterruptStubs.S) and C++; Syscall.cpp checks each against its
// C++ definition (x86::Cpu offsets, Gdt.h selectors) with static_asserts.

// x86::Cpu fields reached through %gs in the entry paths.
#define X86_CPU_SYSCALL_USER_RSP 32
#define X86_CPU_TSS_RSP0         (128 + 4) // Cpu::tss, then Tss::rsp[0] after a u32

#define X86_USER_DATA_SELECTOR   0x1b
#define X86_USER_CODE_SELECTOR   0x23

// The `vector` field of a trap frame built by the SYSCALL entry: above every
// IDT vector, so a frame tells how the kernel was entered.
#define X86_SYSCALL_FRAME_VECTOR 0x100

// RFLAGS for the first user instruction: IF and the always-one bit 1.
#define X86_USER_INITIAL_RFLAGS  0x202

/* clang-format off */
#ifdef __ASSEMBLER__
/* stac/clac only when CR4.SMAP is on: the instructions are #UD on CPUs
   without SMAP. x86_smap_enabled is set once at boot (Syscall.cpp). */
.macro SMAP_ALLOW_USER_ACCESS
    cmpb $0, x86_smap_enabled(%rip)
    je 1000f
    stac
1000:
.endm

.macro SMAP_DENY_USER_ACCESS
    cmpb $0, x86_smap_enabled(%rip)
    je 1001f
    clac
1001:
.endm
#endif
