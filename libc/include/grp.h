#pragma once

// Group database access is not provided (no /etc/group); only setgroups,
// which glibc declares here.
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

int setgroups(size_t size, const gid_t* list);

#ifdef __cplusplus
}
#endif
