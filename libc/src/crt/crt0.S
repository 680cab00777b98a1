// _start: the entry point of every Osprey program (ELF e_entry).
//
// The kernel enters with the System V x86_64 initial stack (ABI 3.4.1): rsp
// points at argc, followed by argv[], NULL, envp[], NULL, then the auxiliary
// vector. rbp is cleared to end frame-pointer backtraces here, the stack is
// aligned to 16 bytes as a call expects, and __libc_start(stack) does the rest
// in C. It never returns.

    .text
    .globl _start
    .type _start, @function
_start:
    xor %ebp, %ebp
    mov %rsp, %rdi
    and $-16, %rsp
    call __libc_start
    hlt
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
