#pragma once

#include <sys/types.h>

struct sockaddr_un {
    sa_family_t sun_family;
    char sun_path[108];
};

// The length of a sockaddr_un holding a NUL-terminated path (BSD's macro).
#define SUN_LEN(address) (__builtin_offsetof(struct sockaddr_un, sun_path) + __builtin_strlen((address)->sun_path))
