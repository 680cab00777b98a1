// fault <kind>: does something that makes the CPU raise an exception in ring
// 3. The kernel must end the program with the right signal and go on:
//   null      write through a null pointer           SIGSEGV (#PF)
//   kernel    read a kernel address                  SIGSEGV (#PF, protection)
//   nx        jump into a non-executable page        SIGSEGV (#PF, instruction fetch)
//   readonly  write to read-only memory (own text)   SIGSEGV (#PF)
//   stack     recurse until the stack runs out       SIGSEGV (#PF)
//   ud2       an invalid opcode                      SIGILL  (#UD)
//   divide    divide by zero                         SIGFPE  (#DE)
//   hlt       a privileged instruction               SIGSEGV (#GP)
#include "runtime.h"

static volatile int s_sink;

static int recurse(int depth)
{
    volatile char frame[256];
    frame[0] = (char)depth;
    if (depth > 1000000000) // never: the stack ends long before
        return 0;
    return recurse(depth + 1) + frame[0];
}

int main(int argc, char** argv)
{
    const char* kind = argc > 1 ? argv[1] : "null";
    out("fault: %s\n", kind);
    if (string_equal(kind, "null")) {
        *(volatile int*)0 = 1;
    } else if (string_equal(kind, "kernel")) {
        s_sink = *(volatile int*)0xffffffff80100000ul;
    } else if (string_equal(kind, "nx")) {
        static unsigned char data[16];         // .bss: writable, not executable
        *(volatile unsigned char*)data = 0xc3; // ret
        ((void (*)(void))(void*)data)();
    } else if (string_equal(kind, "readonly")) {
        *(volatile unsigned char*)(void*)main = 0;
    } else if (string_equal(kind, "stack")) {
        s_sink = recurse(0);
    } else if (string_equal(kind, "ud2")) {
        __asm__ volatile("ud2");
    } else if (string_equal(kind, "divide")) {
        // In assembly: a C division by zero is undefined and may be optimized away.
        unsigned long quotient = 1, remainder = 0, zero = 0;
        __asm__ volatile("divq %2" : "+a"(quotient), "+d"(remainder) : "r"(zero));
        s_sink = (int)quotient;
    } else if (string_equal(kind, "hlt")) {
        __asm__ volatile("hlt");
    } else {
        out("fault: unknown kind '%s'\n", kind);
        return 2;
    }
    out("fault: survived '%s'\n", kind);
    return 1;
}
