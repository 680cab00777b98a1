#pragma once

// A minimal run-time for the ring-3 test programs (freestanding C, no libc):
// raw system calls, formatted output, checks with a summary. The system-call
// numbers come from the kernel's own table, kernel/api/syscalls.h.
#include <kernel/api/auxv.h>
#include <kernel/api/errno.h>
#include <kernel/api/syscalls.h>
#include <stddef.h>
#include <stdint.h>

enum {
#define RUNTIME_SYSCALL_NUMBER(name, number) SYS_##name = number,
    OSPREY_ENUMERATE_SYSCALLS(RUNTIME_SYSCALL_NUMBER)
#undef RUNTIME_SYSCALL_NUMBER
};

static inline long raw_syscall(long number, long a0, long a1, long a2, long a3, long a4, long a5)
{
    register long r10 __asm__("r10") = a3;
    register long r8 __asm__("r8") = a4;
    register long r9 __asm__("r9") = a5;
    long result;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return result;
}

#define syscall0(n)                   raw_syscall((n), 0, 0, 0, 0, 0, 0)
#define syscall1(n, a)                raw_syscall((n), (long)(a), 0, 0, 0, 0, 0)
#define syscall2(n, a, b)             raw_syscall((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define syscall3(n, a, b, c)          raw_syscall((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define syscall6(n, a, b, c, d, e, f) raw_syscall((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

// What the kernel put on the initial stack.
struct start_info {
    uint64_t initial_rsp;
    int argc;
    char** argv;
    char** envp;
    uint64_t* auxv;
};
extern struct start_info g_start;

int main(int argc, char** argv);

_Noreturn void exit_program(int status);
// printf subset: %s %c %d %u %x %ld %lu %lx %p %%, one write per call.
void out(const char* format, ...);
size_t string_length(const char* s);
int string_equal(const char* a, const char* b);
uint64_t auxv_value(uint64_t type, int* found);

// Checks print "ok <name>" or "FAIL <name>: <detail>"; finish() prints
// "<program>: <n> passed, <m> failed" and returns the exit status.
void check(const char* name, int condition);
void check_equal(const char* name, long actual, long expected);
int finish(const char* program);

// struct timespec as the kernel writes it.
struct timespec_k {
    int64_t seconds;
    int64_t nanoseconds;
};
uint64_t monotonic_ns(void);

void* memcpy(void* destination, const void* source, size_t count);
void* memset(void* destination, int value, size_t count);
void* memmove(void* destination, const void* source, size_t count);
int memcmp(const void* a, const void* b, size_t count);
