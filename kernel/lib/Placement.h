#pragma once

// Placement new. The host build takes it from <new>; the kernel declares its own.
#include <kernel/lib/Types.h>

#ifdef OSPREY_KERNEL
inline void* operator new(size_t, void* where) noexcept
{
    return where;
}
inline void* operator new[](size_t, void* where) noexcept
{
    return where;
}
#else
#    include <new>
#endif
