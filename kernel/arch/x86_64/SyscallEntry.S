/*
 * The SYSCALL entry and the switches into and out of ring 3 (Syscall.h).
 *
 * SYSCALL (Intel SDM vol. 2B) leaves RIP in RCX, RFLAGS in R11, loads CS/SS
 * from IA32_STAR and clears the IA32_FMASK bits (IF among them), but does not
 * switch stacks. So the entry swaps to the kernel GS base, parks the user RSP
 * in the per-CPU block, loads TSS.RSP0 (the running program's kernel stack)
 * and builds the same frame an interrupt from ring 3 would (InterruptFrame:
 * SS, RSP, RFLAGS, CS, RIP, error code 0, vector X86_SYSCALL_FRAME_VECTOR,
 * the general registers). Interrupts are enabled only once the frame exists,
 * and disabled again before the frame is unwound, so no interrupt ever sees
 * the user GS base in kernel mode.
 *
 * The return uses SYSRET when x86_syscall_dispatch says the frame allows it
 * (SyscallReturn.h), IRET otherwise. All registers but RAX (the result), RCX
 * and R11 come back as the user left them; with IRET, RCX and R11 too.
 *
 * Between the swapgs and the SYSRET/IRET at either end, GS holds the user's
 * base while CS is the kernel's. Maskable interrupts are off there; NMI and
 * #MC (on IST stacks) are not, and their handlers do not swap GS. Today an NMI
 * only ever stops a CPU during a panic, before anything reads GS; handlers
 * that do real work on NMI or #MC must first check IA32_GS_BASE.
 */
#include <kernel/arch/x86_64/GeneralRegisters.inc>
#include <kernel/arch/x86_64/SyscallEntry.h>

    .text
    .code64

    .balign 16
    .global x86_syscall_entry
    .type x86_syscall_entry, @function
x86_syscall_entry:
    swapgs
    movq %rsp, %gs:X86_CPU_SYSCALL_USER_RSP
    movq %gs:X86_CPU_TSS_RSP0, %rsp
    pushq $X86_USER_DATA_SELECTOR
    pushq %gs:X86_CPU_SYSCALL_USER_RSP
    pushq %r11
    pushq $X86_USER_CODE_SELECTOR
    pushq %rcx
    pushq $0
    pushq $X86_SYSCALL_FRAME_VECTOR
    PUSH_GENERAL_REGISTERS
    cld
    xorl %ebp, %ebp /* backtraces stop here: the user's frames are not the kernel's */
    movq %rsp, %rdi
    sti
    call x86_syscall_dispatch
    cli
    testb %al, %al
    jz .Lreturn_with_iret
    POP_GENERAL_REGISTERS
    /* vector, error code, RIP, CS, RFLAGS, then the user RSP. */
    movq 5 * 8(%rsp), %rsp
    swapgs
    sysretq
.Lreturn_with_iret:
    POP_GENERAL_REGISTERS
    addq $16, %rsp /* vector and error code */
    swapgs
    iretq
    .size x86_syscall_entry, . - x86_syscall_entry

/*
 * u64 x86_enter_user(UserContext* context, u64 entry, u64 user_rsp)
 * Saves the callee-saved registers and RFLAGS on this stack and the stack
 * pointer in context->kernel_rsp, then enters ring 3 at `entry`. Returns when
 * x86_leave_user(context, value) runs, with `value`.
 */
    .balign 16
    .global x86_enter_user
    .type x86_enter_user, @function
x86_enter_user:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    pushfq
    movq %rsp, (%rdi)
    /* No interrupt between swapgs and iretq: it would find kernel CS with the user GS base. */
    cli
    pushq $X86_USER_DATA_SELECTOR
    pushq %rdx
    pushq $X86_USER_INITIAL_RFLAGS
    pushq $X86_USER_CODE_SELECTOR
    pushq %rsi
    /* The x87 and SSE state a new process starts with (psABI 3.4.1: x87
       control word 0x37f, MXCSR 0x1f80), and no register left over from
       another program or from the kernel. */
    fninit
    ldmxcsr .Linitial_mxcsr(%rip)
    pxor %xmm0, %xmm0
    pxor %xmm1, %xmm1
    pxor %xmm2, %xmm2
    pxor %xmm3, %xmm3
    pxor %xmm4, %xmm4
    pxor %xmm5, %xmm5
    pxor %xmm6, %xmm6
    pxor %xmm7, %xmm7
    pxor %xmm8, %xmm8
    pxor %xmm9, %xmm9
    pxor %xmm10, %xmm10
    pxor %xmm11, %xmm11
    pxor %xmm12, %xmm12
    pxor %xmm13, %xmm13
    pxor %xmm14, %xmm14
    pxor %xmm15, %xmm15
    xorl %eax, %eax
    xorl %ebx, %ebx
    xorl %ecx, %ecx
    xorl %edx, %edx /* psABI: RDX = 0, no atexit function from the loader */
    xorl %esi, %esi
    xorl %edi, %edi
    xorl %ebp, %ebp
    xorl %r8d, %r8d
    xorl %r9d, %r9d
    xorl %r10d, %r10d
    xorl %r11d, %r11d
    xorl %r12d, %r12d
    xorl %r13d, %r13d
    xorl %r14d, %r14d
    xorl %r15d, %r15d
    swapgs
    iretq
    .size x86_enter_user, . - x86_enter_user

/*
 * [[noreturn]] void x86_leave_user(UserContext* context, u64 value)
 * Back onto the stack x86_enter_user saved, as its return with `value`.
 * RFLAGS (the interrupt flag above all) is restored as it was at the entry.
 */
    .balign 16
    .global x86_leave_user
    .type x86_leave_user, @function
x86_leave_user:
    movq (%rdi), %rsp
    movq %rsi, %rax
    popfq
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size x86_leave_user, . - x86_leave_user

    .section .rodata
    .balign 4
.Linitial_mxcsr:
    .long 0x1f80

    .section .note.GNU-stack, "", @progbits
