/*
 * The stack switch under x86::switch_context (see ThreadContext.h).
 *
 * void x86_switch_stacks(u64* save_rsp, u64 next_rsp)
 *   Pushes the callee-saved registers (System V AMD64 ABI 3.2.1: rbx, rbp,
 *   r12-r15) on the current stack, stores RSP into *save_rsp, loads
 *   next_rsp and pops the same registers from there, then returns on the
 *   new stack: into the caller that switched away from that thread, or, for
 *   a new thread, into x86_thread_trampoline.
 *
 * x86_thread_trampoline
 *   Entered with r12, r13 = the two arguments and r14 = the start function
 *   (prepare_context put them in the first frame). Aligns RSP to 16 for the
 *   call (ABI 3.2.2) and calls start(r12, r13), which never returns.
 */
    .text
    .code64

    .global x86_switch_stacks
    .type x86_switch_stacks, @function
x86_switch_stacks:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size x86_switch_stacks, . - x86_switch_stacks

    .global x86_thread_trampoline
    .type x86_thread_trampoline, @function
x86_thread_trampoline:
    movq %r12, %rdi
    movq %r13, %rsi
    xorl %ebp, %ebp
    andq $-16, %rsp
    callq *%r14
    ud2
    .size x86_thread_trampoline, . - x86_thread_trampoline

    .section .note.GNU-stack, "", @progbits
