// segv: writes through a null pointer, so it dies with SIGSEGV. The shell
// tests check that sh reports "Segmentation fault" and $? is 139.

#include <stdio.h>

int main(void)
{
    // volatile: the compiler must not remove or fold the store.
    volatile int* volatile pointer = NULL;
    *pointer = 1;
    printf("still alive\n");
    return 0;
}
