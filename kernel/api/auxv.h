#pragma once

// Auxiliary vector entry types (Linux include/uapi/linux/auxvec.h and
// arch/x86/include/uapi/asm/auxvec.h; System V gABI "Process Initialization").
// The kernel puts (type, value) pairs after envp on the initial stack; the C
// library's start-up code reads them. Shared by the kernel and user space.

#define AT_NULL   0  // end of the vector
#define AT_PHDR   3  // address of the program headers in memory
#define AT_PHENT  4  // size of one program header
#define AT_PHNUM  5  // number of program headers
#define AT_PAGESZ 6  // page size
#define AT_BASE   7  // interpreter base (0: no interpreter)
#define AT_FLAGS  8  // flags (0)
#define AT_ENTRY  9  // the program's entry point
#define AT_UID    11 // real user id
#define AT_EUID   12 // effective user id
#define AT_GID    13 // real group id
#define AT_EGID   14 // effective group id
#define AT_CLKTCK 17 // clock ticks per second (times())
#define AT_SECURE 23 // 1 for set-user-id style programs
#define AT_RANDOM 25 // address of 16 random bytes
#define AT_EXECFN 31 // address of the file name the program was run as
