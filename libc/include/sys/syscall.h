#pragma once

// SYS_<name> constants generated from the kernel's syscall table
// (kernel/api/syscalls.h), for use with syscall(2).

#include "../../../kernel/api/syscalls.h"

enum {
#define OSPREY_SYS_CONSTANT(name, number) SYS_##name = number,
    OSPREY_ENUMERATE_SYSCALLS(OSPREY_SYS_CONSTANT)
#undef OSPREY_SYS_CONSTANT
};
