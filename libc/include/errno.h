#pragma once

// errno: the Linux values come from the kernel's own header, the single list
// shared by kernel and libc. errno is reached through __errno_location() so
// that it can become per-thread without changing compiled programs; today the
// library is single-threaded and the location is one global int.

#include "../../kernel/api/errno.h"

#ifdef __cplusplus
extern "C" {
#endif

int* __errno_location(void);
#define errno (*__errno_location())

extern char* program_invocation_name;
extern char* program_invocation_short_name;

#ifdef __cplusplus
}
#endif
