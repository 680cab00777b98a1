#pragma once

// Placement new. The host build takes it from <new>; the kernel declares its own.
#include <kernel/lib/Types.h>

#ifdef OSPREY_KERNEL
// The <new> pieces the kernel needs (C++20 [new.syn]). The compiler names
// std::align_val_t in the aligned allocation functions it declares itself.
// Only the nothrow forms are null-checked by clang 14 (it ignores
// -fcheck-new), so kernel code allocates with `new (std::nothrow) T`, or
// through lib::new_object / try_make, never with a plain `new T`.
// The standard fixes these names, so they keep them against Osprey's naming rules.
// NOLINTBEGIN(readability-identifier-naming)
namespace std {
enum class align_val_t : size_t {};
struct nothrow_t {
    explicit nothrow_t() = default;
};
inline constexpr nothrow_t nothrow {};
} // namespace std
// NOLINTEND(readability-identifier-naming)

void* operator new(size_t size, const std::nothrow_t&) noexcept;
void* operator new[](size_t size, const std::nothrow_t&) noexcept;
void* operator new(size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept;
void* operator new[](size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept;

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
