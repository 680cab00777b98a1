/*
 * The only code that touches user memory. Each routine is a plain loop over
 * an address range the caller has checked to lie below USER_END
 * (kernel/user/UserCopy.cpp). A page fault may still happen there (an
 * unmapped page, a read-only page); the instructions that can fault are
 * listed in the exception table (section .exception_table, collected by
 * boot/linker.ld: start, end, fixup per entry), and the exception handler
 * (Exceptions.cpp) resumes a fault inside [start, end) at the fixup, which
 * closes user access again and reports how much was not done.
 *
 * With SMAP the kernel may touch user pages only while RFLAGS.AC is set:
 * stac at the start, clac on every way out (SDM vol. 3A, 4.6).
 *
 * `rep movsb`/`rep stosb` keep RCX, RSI and RDI current as they go (SDM
 * vol. 2B, REP): after a fault RCX holds the bytes left.
 */
#include <kernel/arch/x86_64/SyscallEntry.h>

    .text
    .code64

    .macro EXCEPTION_TABLE_ENTRY start, end, fixup
    .pushsection .exception_table, "a"
    .balign 8
    .quad \start, \end, \fixup
    .popsection
    .endm

/* u64 x86_user_copy(void* destination, const void* source, u64 size): bytes not copied. */
    .balign 16
    .global x86_user_copy
    .type x86_user_copy, @function
x86_user_copy:
    SMAP_ALLOW_USER_ACCESS
    movq %rdx, %rcx
.Lcopy_start:
    rep movsb
.Lcopy_end:
    SMAP_DENY_USER_ACCESS
    movq %rcx, %rax
    ret
.Lcopy_fixup:
    SMAP_DENY_USER_ACCESS
    movq %rcx, %rax
    ret
    .size x86_user_copy, . - x86_user_copy
    EXCEPTION_TABLE_ENTRY .Lcopy_start, .Lcopy_end, .Lcopy_fixup

/* u64 x86_user_clear(void* destination, u64 size): bytes not cleared. */
    .balign 16
    .global x86_user_clear
    .type x86_user_clear, @function
x86_user_clear:
    SMAP_ALLOW_USER_ACCESS
    movq %rsi, %rcx
    xorl %eax, %eax
.Lclear_start:
    rep stosb
.Lclear_end:
    SMAP_DENY_USER_ACCESS
    movq %rcx, %rax
    ret
.Lclear_fixup:
    SMAP_DENY_USER_ACCESS
    movq %rcx, %rax
    ret
    .size x86_user_clear, . - x86_user_clear
    EXCEPTION_TABLE_ENTRY .Lclear_start, .Lclear_end, .Lclear_fixup

/*
 * i64 x86_user_strncpy(char* destination, const char* source, u64 capacity)
 * Copies bytes up to and including the first NUL, at most `capacity`.
 * Returns the string's length (NUL copied), `capacity` when no NUL came
 * within it, or -1 after a fault.
 */
    .balign 16
    .global x86_user_strncpy
    .type x86_user_strncpy, @function
x86_user_strncpy:
    SMAP_ALLOW_USER_ACCESS
    xorl %eax, %eax
1:
    cmpq %rdx, %rax
    je 2f
.Lstrncpy_load:
    movb (%rsi, %rax), %cl
.Lstrncpy_load_end:
    movb %cl, (%rdi, %rax)
    testb %cl, %cl
    jz 2f
    incq %rax
    jmp 1b
2:
    SMAP_DENY_USER_ACCESS
    ret
.Lstrncpy_fixup:
    SMAP_DENY_USER_ACCESS
    movq $-1, %rax
    ret
    .size x86_user_strncpy, . - x86_user_strncpy
    EXCEPTION_TABLE_ENTRY .Lstrncpy_load, .Lstrncpy_load_end, .Lstrncpy_fixup

    .section .note.GNU-stack, "", @progbits
