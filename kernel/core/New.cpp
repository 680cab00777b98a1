// C++ allocation in the kernel: operator new and delete, in their plain,
// array, sized, aligned and nothrow forms, on the kernel heap. There are no
// exceptions: every form returns null when memory runs out.
//
// Beware (clang 14): the compiler declares the plain and aligned forms
// `nonnull` and ignores -fcheck-new, so neither `new T` nor an explicit null
// test after `::operator new(n)` survives optimization; on exhaustion the
// constructor would run on null. Only the nothrow forms, declared noexcept,
// are tested for null by the compiler: allocate with `new (std::nothrow) T`
// (or lib::new_object on top of it). Deletes pass their own return address,
// so a bad delete is logged with the code that made it.
#include <kernel/mm/Heap.h>

// std::nothrow_t, std::align_val_t and the nothrow declarations live in
// kernel/lib/Placement.h, so every kernel file can use the nothrow forms.
#include <kernel/lib/Placement.h>

void* operator new(size_t size)
{
    return mm::kernel_heap().allocate(size, __builtin_return_address(0));
}

void* operator new[](size_t size)
{
    return mm::kernel_heap().allocate(size, __builtin_return_address(0));
}

void* operator new(size_t size, std::align_val_t alignment)
{
    return mm::kernel_heap().allocate_aligned(size, static_cast<size_t>(alignment), __builtin_return_address(0));
}

void* operator new[](size_t size, std::align_val_t alignment)
{
    return mm::kernel_heap().allocate_aligned(size, static_cast<size_t>(alignment), __builtin_return_address(0));
}

void* operator new(size_t size, const std::nothrow_t&) noexcept
{
    return mm::kernel_heap().allocate(size, __builtin_return_address(0));
}

void* operator new[](size_t size, const std::nothrow_t&) noexcept
{
    return mm::kernel_heap().allocate(size, __builtin_return_address(0));
}

void* operator new(size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept
{
    return mm::kernel_heap().allocate_aligned(size, static_cast<size_t>(alignment), __builtin_return_address(0));
}

void* operator new[](size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept
{
    return mm::kernel_heap().allocate_aligned(size, static_cast<size_t>(alignment), __builtin_return_address(0));
}

void operator delete(void* pointer) noexcept
{
    mm::kernel_heap().free(pointer, __builtin_return_address(0));
}

void operator delete[](void* pointer) noexcept
{
    mm::kernel_heap().free(pointer, __builtin_return_address(0));
}

void operator delete(void* pointer, size_t) noexcept
{
    mm::kernel_heap().free(pointer, __builtin_return_address(0));
}

void operator delete[](void* pointer, size_t) noexcept
{
    mm::kernel_heap().free(pointer, __builtin_return_address(0));
}

void operator delete(void* pointer, std::align_val_t) noexcept
{
    mm::kernel_heap().free(pointer, __builtin_return_address(0));
}

void operator delete[](void* pointer, std::align_val_t) noexcept
{
    mm::kernel_heap().free(pointer, __builtin_return_address(0));
}

void operator delete(void* pointer, size_t, std::align_val_t) noexcept
{
    mm::kernel_heap().free(pointer, __builtin_return_address(0));
}

void operator delete[](void* pointer, size_t, std::align_val_t) noexcept
{
    mm::kernel_heap().free(pointer, __builtin_return_address(0));
}

void operator delete(void* pointer, const std::nothrow_t&) noexcept
{
    mm::kernel_heap().free(pointer, __builtin_return_address(0));
}

void operator delete[](void* pointer, const std::nothrow_t&) noexcept
{
    mm::kernel_heap().free(pointer, __builtin_return_address(0));
}

void operator delete(void* pointer, std::align_val_t, const std::nothrow_t&) noexcept
{
    mm::kernel_heap().free(pointer, __builtin_return_address(0));
}

void operator delete[](void* pointer, std::align_val_t, const std::nothrow_t&) noexcept
{
    mm::kernel_heap().free(pointer, __builtin_return_address(0));
}
