// C++ allocation in the kernel: operator new and delete, in all their plain,
// array, sized and aligned forms, on the kernel heap. There are no exceptions:
// a failed allocation returns null, and the kernel is built with -fcheck-new
// so that a new-expression tests the result before running a constructor.
// Deletes pass their own return address, so a bad delete is logged with the
// code that made it.
#include <kernel/mm/Heap.h>

// There is no <new> in the kernel. The compiler declares the replaceable
// allocation functions itself, naming std::align_val_t for the aligned ones;
// this is its definition (C++17 [new.syn]).
namespace std {
enum class align_val_t : size_t {};
} // namespace std

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
