/*
 * Process entry for the test programs. The kernel starts _start with RSP at
 * argc (16-byte aligned, psABI 3.4.1) and every other register zero; the
 * stack pointer is handed to start_program (runtime.c) as it was, so the
 * startup test can check it.
 */
    .text
    .global _start
    .type _start, @function
_start:
    xorl %ebp, %ebp
    movq %rsp, %rdi
    andq $-16, %rsp
    call start_program
    ud2
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
