// noncanonical: a `syscall` instruction in the last two bytes of the user
// half, so the CPU saves RCX = 0x0000800000000000, a non-canonical return
// address. SYSRET to it would fault in ring 0 on Intel CPUs with the user's
// stack (CVE-2012-0217); the kernel must not try, and ends the program with
// SIGSEGV. (Linux never lets the last page be mapped: its TASK_SIZE_MAX is
// 2^47 - 4096 for this very reason, so there the mmap fails and the program
// exits with status 2. Osprey maps it, to test the return-path guard.)
#include "runtime.h"

#define LAST_PAGE                   0x00007ffffffff000ul
#define PROT_RWX                    7
#define MAP_PRIVATE_ANONYMOUS_FIXED 0x32

int main(int argc, char** argv)
{
    (void)argc;
    (void)argv;
    long page = syscall6(SYS_mmap, LAST_PAGE, 4096, PROT_RWX, MAP_PRIVATE_ANONYMOUS_FIXED, -1, 0);
    if (page != (long)LAST_PAGE) {
        out("noncanonical: mmap of the last page failed: %ld\n", page);
        return 2;
    }
    unsigned char* code = (unsigned char*)LAST_PAGE;
    code[4094] = 0x0f; // syscall
    code[4095] = 0x05;
    out("noncanonical: syscall at %p, returning to 0x800000000000\n", (void*)(code + 4094));
    __asm__ volatile("jmp *%0" : : "r"(code + 4094), "a"((long)SYS_getpid) : "memory");
    __builtin_unreachable();
}
