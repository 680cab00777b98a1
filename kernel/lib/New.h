#pragma once

// Creating single heap objects without exceptions. The kernel's operator new
// (kernel/mm heap) returns null when memory runs out, but clang 14 ignores
// -fcheck-new and assumes the plain form never does, so a plain `new T(...)`
// would run T's constructor on null. new_object() allocates through the
// nothrow form, checks, and only then constructs. Objects made here are freed with a plain `delete`.
#include <kernel/lib/Placement.h>
#include <kernel/lib/Types.h>
#include <kernel/lib/Utility.h>

namespace lib {

template<typename T, typename... Args>
T* new_object(Args&&... args)
{
    static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "over-aligned types need an aligned allocator");
    // The nothrow form: the only one whose null result the compiler keeps.
    void* memory = ::operator new(sizeof(T), std::nothrow);
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
