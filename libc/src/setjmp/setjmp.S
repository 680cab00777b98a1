// setjmp, _setjmp, sigsetjmp and the register half of longjmp.
//
// jmp_buf (see <setjmp.h>): [0] rbx [1] rbp [2] r12 [3] r13 [4] r14 [5] r15
// [6] the caller's rsp after return [7] the return address, then at byte 64
// the "mask saved" flag and at 72 the signal mask. Only the callee-saved
// registers of the System V x86_64 ABI (3.2.1) need keeping: the caller
// assumes every other register is clobbered by the call. setjmp does not save
// the signal mask (as _setjmp); sigsetjmp(env, nonzero) does.

    .text

.macro SAVE_REGISTERS
    mov %rbx, 0(%rdi)
    mov %rbp, 8(%rdi)
    mov %r12, 16(%rdi)
    mov %r13, 24(%rdi)
    mov %r14, 32(%rdi)
    mov %r15, 40(%rdi)
    lea 8(%rsp), %rdx
    mov %rdx, 48(%rdi)
    mov (%rsp), %rdx
    mov %rdx, 56(%rdi)
    movq $0, 64(%rdi)
.endm

    .globl setjmp
    .type setjmp, @function
    .globl _setjmp
    .type _setjmp, @function
setjmp:
_setjmp:
    SAVE_REGISTERS
    xor %eax, %eax
    ret
    .size setjmp, . - setjmp

    // int sigsetjmp(sigjmp_buf env, int save_mask)
    .globl sigsetjmp
    .type sigsetjmp, @function
sigsetjmp:
    SAVE_REGISTERS
    xor %eax, %eax
    test %esi, %esi
    jz 1f
    // Tail call: __sigsetjmp_save(env) returns 0 straight to our caller.
    jmp __sigsetjmp_save
1:  ret
    .size sigsetjmp, . - sigsetjmp

    // _Noreturn void __longjmp_registers(jmp_buf env, int value)
    .globl __longjmp_registers
    .type __longjmp_registers, @function
__longjmp_registers:
    mov %esi, %eax
    test %eax, %eax
    jnz 1f
    inc %eax            // longjmp(env, 0) makes setjmp return 1 (C17 7.13.2.1)
1:  mov 0(%rdi), %rbx
    mov 8(%rdi), %rbp
    mov 16(%rdi), %r12
    mov 24(%rdi), %r13
    mov 32(%rdi), %r14
    mov 40(%rdi), %r15
    mov 48(%rdi), %rsp
    jmp *56(%rdi)
    .size __longjmp_registers, . - __longjmp_registers

    .section .note.GNU-stack, "", @progbits
