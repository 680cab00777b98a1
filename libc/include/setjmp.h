#pragma once

// Non-local jumps. A jmp_buf holds the callee-saved registers of the SysV
// x86_64 ABI (rbx, rbp, r12-r15), the stack pointer and the return address,
// then for sigsetjmp a flag and the saved signal mask.

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    unsigned long __registers[8];
    unsigned long __mask_saved;
    unsigned long __mask;
} jmp_buf[1];
typedef jmp_buf sigjmp_buf;

int setjmp(jmp_buf environment) __attribute__((returns_twice));
int _setjmp(jmp_buf environment) __attribute__((returns_twice));
_Noreturn void longjmp(jmp_buf environment, int value);
_Noreturn void _longjmp(jmp_buf environment, int value);
int sigsetjmp(sigjmp_buf environment, int save_mask) __attribute__((returns_twice));
_Noreturn void siglongjmp(sigjmp_buf environment, int value);

#ifdef __cplusplus
}
#endif
