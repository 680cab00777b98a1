#pragma once

// Raw Linux x86_64 system calls (DESIGN "Userspace ABI"): number in rax,
// arguments in rdi, rsi, rdx, r10, r8, r9; the kernel clobbers rcx and r11 and
// returns the result in rax, or -errno (a value in [-4095, -1]) on failure.
//
// syscallN() return the raw result. __syscall_result() turns it into the C
// convention: -1 with errno set, or the value.

#include <sys/syscall.h>

static inline long syscall6(long number, long a, long b, long c, long d, long e, long f)
{
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    long result;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return result;
}

static inline long syscall0(long number)
{
    long result;
    __asm__ volatile("syscall" : "=a"(result) : "a"(number) : "rcx", "r11", "memory");
    return result;
}

static inline long syscall1(long number, long a)
{
    long result;
    __asm__ volatile("syscall" : "=a"(result) : "a"(number), "D"(a) : "rcx", "r11", "memory");
    return result;
}

static inline long syscall2(long number, long a, long b)
{
    long result;
    __asm__ volatile("syscall" : "=a"(result) : "a"(number), "D"(a), "S"(b) : "rcx", "r11", "memory");
    return result;
}

static inline long syscall3(long number, long a, long b, long c)
{
    long result;
    __asm__ volatile("syscall" : "=a"(result) : "a"(number), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return result;
}

static inline long syscall4(long number, long a, long b, long c, long d)
{
    return syscall6(number, a, b, c, d, 0, 0);
}

static inline long syscall5(long number, long a, long b, long c, long d, long e)
{
    return syscall6(number, a, b, c, d, e, 0);
}

// Turns a raw result into -1 + errno, or passes the value through.
long __syscall_result(long raw);

#define SYSCALL0(name)             __syscall_result(syscall0(SYS_##name))
#define SYSCALL1(name, a)          __syscall_result(syscall1(SYS_##name, (long)(a)))
#define SYSCALL2(name, a, b)       __syscall_result(syscall2(SYS_##name, (long)(a), (long)(b)))
#define SYSCALL3(name, a, b, c)    __syscall_result(syscall3(SYS_##name, (long)(a), (long)(b), (long)(c)))
#define SYSCALL4(name, a, b, c, d) __syscall_result(syscall4(SYS_##name, (long)(a), (long)(b), (long)(c), (long)(d)))
#define SYSCALL5(name, a, b, c, d, e) \
    __syscall_result(syscall5(SYS_##name, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e)))
#define SYSCALL6(name, a, b, c, d, e, f) \
    __syscall_result(syscall6(SYS_##name, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f)))
