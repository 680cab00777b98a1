/*
 * One entry stub per IDT vector. Each pushes a zero error code when the CPU
 * does not push one (so the frame is uniform), then the vector number, and
 * jumps to a common path that saves the general registers, calls
 * interrupt_dispatch(InterruptFrame*) and returns with iretq.
 * From ring 3 (the RPL of the saved CS), the common path swaps to the kernel
 * GS base on the way in and back on the way out. It clears RFLAGS.AC on every
 * entry, so neither a user-set AC nor an interrupted user-copy routine lifts
 * SMAP inside a handler (iretq restores the interrupted AC; Syscall.h).
 * Vectors with a CPU error code: 8, 10-14, 17, 21, 29, 30 (SDM vol. 3A, 6.15).
 * The CPU aligns RSP to 16 before pushing its frame; 17 more quadwords keep
 * the call site 16-byte aligned as the SysV ABI requires.
 */
#include <kernel/arch/x86_64/GeneralRegisters.inc>
#include <kernel/arch/x86_64/SyscallEntry.h>

    .text
    .code64

    .altmacro
    .macro stub vector
    .balign 16
isr_stub_\vector:
    .if (\vector == 8) || ((\vector >= 10) && (\vector <= 14)) || (\vector == 17) || (\vector == 21) || (\vector == 29) || (\vector == 30)
    .else
    pushq $0
    .endif
    pushq $\vector
    jmp interrupt_common
    .endm

    .set vector, 0
    .rept 256
    stub %vector
    .set vector, vector + 1
    .endr

interrupt_common:
    /* vector, error code, RIP, then CS */
    testb $3, 3 * 8(%rsp)
    jz 1f
    swapgs
1:
    SMAP_DENY_USER_ACCESS
    cld
    PUSH_GENERAL_REGISTERS
    mov %rsp, %rdi
    /* Make the interrupted frame the caller of interrupt_dispatch, so a
       backtrace from a handler walks into the interrupted code; from ring 3
       the backtrace stops here instead (CS is 18 quadwords up). */
    xorl %ebp, %ebp
    testb $3, 18 * 8(%rsp)
    jnz 2f
    mov 8 * 6(%rsp), %rbp
2:
    call interrupt_dispatch
    POP_GENERAL_REGISTERS
    add $16, %rsp /* vector and error code */
    testb $3, 8(%rsp) /* CS */
    jz 3f
    swapgs
3:
    iretq

    .macro stub_address vector
    .quad isr_stub_\vector
    .endm

    .section .rodata
    .balign 8
    .global isr_stub_table
isr_stub_table:
    .set vector, 0
    .rept 256
    stub_address %vector
    .set vector, vector + 1
    .endr

    .section .note.GNU-stack, "", @progbits
