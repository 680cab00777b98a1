// __signal_restorer: where a signal handler returns to (sa_restorer). The
// kernel left the signal frame (ucontext, siginfo) on the stack; rt_sigreturn
// (15) restores the interrupted registers and mask from it and never returns.

    .text
    .globl __signal_restorer
    .type __signal_restorer, @function
__signal_restorer:
    mov $15, %eax
    syscall
    hlt
    .size __signal_restorer, . - __signal_restorer

    .section .note.GNU-stack, "", @progbits
