// Host implementations of the kernel/lib hooks: lib::allocate/deallocate on
// malloc, a nothrow operator new that honours the same failure switch, and
// lib::verify_failed, which aborts so GoogleTest death tests can catch it.
#include "HostAllocator.h"

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <kernel/lib/Allocator.h>
#include <kernel/lib/Assertions.h>
#include <new>

namespace host_allocator {

namespace {

// Remaining successes before allocations start failing; ~0 means never fail.
usize s_successes_left = ~usize(0);
usize s_allocations = 0;
usize s_failures = 0;
usize s_live = 0;

bool should_fail()
{
    if (s_successes_left == ~usize(0))
        return false;
    if (s_successes_left == 0) {
        ++s_failures;
        return true;
    }
    --s_successes_left;
    return false;
}

} // namespace

void fail_after(usize successes)
{
    s_successes_left = successes;
}

void reset()
{
    s_successes_left = ~usize(0);
}

usize allocation_count()
{
    return s_allocations;
}

usize failure_count()
{
    return s_failures;
}

usize live_allocations()
{
    return s_live;
}

} // namespace host_allocator

namespace lib {

void* allocate(usize size, usize alignment)
{
    if (host_allocator::should_fail())
        return nullptr;
    if (alignment < alignof(std::max_align_t))
        alignment = alignof(std::max_align_t);
    // aligned_alloc wants a size that is a multiple of the alignment.
    usize rounded = (size + alignment - 1) & ~(alignment - 1);
    void* memory = std::aligned_alloc(alignment, rounded ? rounded : alignment);
    if (memory) {
        ++host_allocator::s_allocations;
        ++host_allocator::s_live;
    }
    return memory;
}

void deallocate(void* pointer)
{
    if (!pointer)
        return;
    --host_allocator::s_live;
    std::free(pointer);
}

void verify_failed(const char* condition, const char* file, int line)
{
    std::fprintf(stderr, "VERIFY(%s) failed at %s:%d\n", condition, file, line);
    std::abort();
}

} // namespace lib

// Replaces the global nothrow operator new so new_object() can be made to
// fail. Successful allocations come from the ordinary operator new, so the
// matching delete and ASan's new/delete pairing checks still apply.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept
{
    if (host_allocator::should_fail())
        return nullptr;
    try {
        void* memory = ::operator new(size);
        ++host_allocator::s_allocations;
        return memory;
    } catch (const std::bad_alloc&) {
        return nullptr;
    }
}
