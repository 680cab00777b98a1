// longjmp and siglongjmp: restore the signal mask if sigsetjmp saved one,
// then the registers (setjmp.S).

#include <setjmp.h>
#include <signal.h>

_Noreturn void __longjmp_registers(jmp_buf environment, int value);

int __sigsetjmp_save(sigjmp_buf environment)
{
    sigset_t current;
    sigprocmask(SIG_BLOCK, NULL, &current);
    environment->__mask = current.__bits[0];
    environment->__mask_saved = 1;
    return 0;
}

_Noreturn void longjmp(jmp_buf environment, int value)
{
    if (environment->__mask_saved) {
        sigset_t mask = { { environment->__mask } };
        sigprocmask(SIG_SETMASK, &mask, NULL);
    }
    __longjmp_registers(environment, value);
}

_Noreturn void _longjmp(jmp_buf environment, int value)
{
    longjmp(environment, value);
}

_Noreturn void siglongjmp(sigjmp_buf environment, int value)
{
    longjmp(environment, value);
}
