#pragma once

// Creating single heap objects without exceptions. The kernel's global
// operator new (kernel/mm heap) returns null when memory runs out, but
// clang 14 ignores -fcheck-new, so a plain `new T(...)` would run T's
// constructor on a null pointer. new_object() allocates, checks, and only
// then constructs. Objects made here are freed with a plain `delete`.
#include <kernel/lib/Placement.h>
#include <kernel/lib/Types.h>
#include <kernel/lib/Utility.h>

namespace lib {

template<typename T, typename... Args>
T* new_object(Args&&... args)
{
    static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "over-aligned types need an aligned allocator");
#ifdef OSPREY_KERNEL
    void* memory = ::operator new(sizeof(T));
#else
    void* memory = ::operator new(sizeof(T), std::nothrow);
#endif
    if (!memory)
        return nullptr;
    // Parenthesized aggregate initialization is C++20 but missing from
    // clang 14, so aggregates take braces.
    if constexpr (requires { T(lib::forward<Args>(args)...); })
        return new (memory) T(lib::forward<Args>(args)...);
    else
        return new (memory) T { lib::forward<Args>(args)... };
}

} // namespace lib
