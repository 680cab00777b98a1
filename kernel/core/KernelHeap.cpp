// The kernel's heap: one mm::Heap on physical frames from the frame
// allocator (kernel/mm/PhysicalMemory.h), reached through the direct map,
// and the C-style entry points kmalloc, kfree, krealloc, kcalloc and
// kmalloc_aligned, plus the lib::allocate hooks for kernel/lib containers.
// Each entry point passes its return address to the heap, so that a bad
// free is logged with the caller's symbol.
#include <kernel/core/Symbols.h>
#include <kernel/lib/Allocator.h>
#include <kernel/log/Log.h>
#include <kernel/mm/Heap.h>
#include <kernel/mm/Layout.h>
#include <kernel/mm/PhysicalMemory.h>

namespace {

class FramePageSource final : public mm::PageSource {
public:
    ErrorOr<u8*> allocate_pages(usize count) override
    {
        PhysAddr frames = TRY(mm::allocate_frames(count));
        return mm::phys_to_virt(frames);
    }

    void free_pages(u8* pages, usize count) override
    {
        auto result = mm::free_frames(mm::virt_to_phys_direct(pages), count);
        if (result.is_error())
            klog::error("heap: giving back {} frames at {} failed: {}", count, pages, result.error());
    }
};

constinit FramePageSource g_page_source;
constinit mm::Heap g_heap;

void report_bad_free(const mm::FreeReport& report)
{
    auto caller = reinterpret_cast<u64>(report.caller);
    // The return address may be just past the caller's last instruction.
    symbols::Symbol symbol = symbols::lookup(caller - 1);
    if (symbol.name.is_empty())
        klog::error("heap: {}: {} from {:#x}", mm::free_error_name(report.error), report.pointer, caller);
    else
        klog::error("heap: {}: {} from {}+{:#x}", mm::free_error_name(report.error), report.pointer, symbol.name,
            caller - symbol.address);
}

} // namespace

namespace mm {

void heap_init()
{
    g_heap.initialize(g_page_source, report_bad_free);
    klog::info("heap: slab caches 16..2048 bytes, buddy blocks to 1 MiB, grows by {} KiB", HEAP_GROW_BYTES / KiB);
}

HeapStats heap_stats()
{
    return g_heap.stats();
}

Heap& kernel_heap()
{
    return g_heap;
}

} // namespace mm

void* kmalloc(usize size)
{
    return g_heap.allocate(size, __builtin_return_address(0));
}

void* kmalloc_aligned(usize size, usize alignment)
{
    return g_heap.allocate_aligned(size, alignment, __builtin_return_address(0));
}

void* kcalloc(usize count, usize size)
{
    return g_heap.allocate_zeroed(count, size, __builtin_return_address(0));
}

void* krealloc(void* pointer, usize size)
{
    return g_heap.reallocate(pointer, size, __builtin_return_address(0));
}

void kfree(void* pointer)
{
    g_heap.free(pointer, __builtin_return_address(0));
}

namespace lib {

void* allocate(usize size, usize alignment)
{
    return g_heap.allocate_aligned(size, alignment, __builtin_return_address(0));
}

void deallocate(void* pointer)
{
    g_heap.free(pointer, __builtin_return_address(0));
}

} // namespace lib
