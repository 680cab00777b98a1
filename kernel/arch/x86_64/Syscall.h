#pragma once

// The x86_64 side of the user boundary: the SYSCALL/SYSRET entry, entering
// and leaving ring 3, and the CPU features the user-facing code needs.
//
// syscall_init() runs on each CPU once its GDT and GS base are set up
// (cpu_init) and the kernel page tables are in place (mm::init):
//   - IA32_STAR: SYSCALL loads CS 0x08 / SS 0x10, SYSRET CS 0x23 / SS 0x1b
//     (Gdt.h STAR constants); IA32_LSTAR: the entry in SyscallEntry.S;
//     IA32_FMASK clears IF, TF, DF, AC, NT and IOPL on entry;
//     EFER.SCE enables the instructions (SDM vol. 3A, 5.8.8);
//   - CR4.SMEP and CR4.SMAP when CPUID.(EAX=7,ECX=0):EBX reports them (bits 7
//     and 20; SDM vol. 3A, 4.6): the kernel then can neither run user code nor
//     touch user data outside the copy routines.
//
// Entering user mode (enter_user) works like setjmp: it saves the kernel's
// callee-saved registers, RFLAGS and RSP in a UserContext, then IRETs to ring
// 3 with clean registers and a fresh FPU/SSE state. leave_user(context), called
// later from a system call or a fault on the program's kernel stack, returns
// from that enter_user on the original stack; whatever ran on the program's
// kernel stack is abandoned (nothing there may hold a lock or own memory).
// Before entering, the caller points TSS.RSP0 (set_kernel_stack) at the
// program's kernel stack, which both interrupts and SYSCALL use.
#include <kernel/lib/Types.h>

namespace x86 {

struct UserContext {
    u64 kernel_rsp; // where enter_user saved the kernel's registers
};

void syscall_init();
bool smap_enabled();
bool smep_enabled();

// Runs user code at `entry` with stack pointer `user_rsp`; returns the value
// given to leave_user.
u64 enter_user(UserContext& context, VirtAddr entry, VirtAddr user_rsp);
[[noreturn]] void leave_user(UserContext& context, u64 value);

// The TSS.RSP0 of this CPU (the stack interrupts from ring 3 and SYSCALL use).
VirtAddr kernel_stack();

// The per-CPU pointer to the running user program (x86::Cpu::user_program).
void* current_user_program();
void set_current_user_program(void* program);

// FS base, the user's thread pointer (arch_prctl ARCH_SET_FS). Callers
// check the address is canonical: WRMSR of a non-canonical base is #GP.
void set_user_fs_base(u64 base);
u64 user_fs_base();
// GS base of user mode (ARCH_SET_GS). In the kernel it sits in
// IA32_KERNEL_GS_BASE until the swapgs on the way out.
void set_user_gs_base(u64 base);
u64 user_gs_base();
// Back to a kernel-thread state after a program: FS base and the saved user
// GS base (IA32_KERNEL_GS_BASE) zero.
void reset_user_segment_bases();

// 64 bits from RDRAND (CPUID.01H:ECX.RDRAND[bit 30]); false when the CPU has
// no RDRAND or it failed ten times in a row (SDM vol. 1, 7.3.17.1).
bool read_hardware_random(u64& value);

} // namespace x86
