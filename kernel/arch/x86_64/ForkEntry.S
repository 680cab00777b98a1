/*
 * u64 x86_enter_user_frame(UserContext* context, const InterruptFrame* frame,
 *                          const FpuState* fpu)
 *
 * Like x86_enter_user (SyscallEntry.S), but ring 3 resumes with every
 * register taken from `frame` (InterruptFrame layout) and the FPU/SSE state
 * from `fpu`: a forked child continues where its parent made the call.
 * `frame` must lie in memory above this function's own stack frame (the
 * caller's locals), because the stack pointer is moved onto it. Returns when
 * x86_leave_user(context, value) runs, with `value`.
 */
#include <kernel/arch/x86_64/GeneralRegisters.inc>

    .text
    .code64

    .balign 16
    .global x86_enter_user_frame
    .type x86_enter_user_frame, @function
x86_enter_user_frame:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    pushfq
    movq %rsp, (%rdi)
    cli
    fxrstor64 (%rdx)
    movq %rsi, %rsp
    POP_GENERAL_REGISTERS
    addq $16, %rsp /* vector and error code */
    swapgs
    iretq
    .size x86_enter_user_frame, . - x86_enter_user_frame

/* void x86_save_fpu(FpuState* state) */
    .balign 16
    .global x86_save_fpu
    .type x86_save_fpu, @function
x86_save_fpu:
    fxsave64 (%rdi)
    ret
    .size x86_save_fpu, . - x86_save_fpu

    .section .note.GNU-stack, "", @progbits
