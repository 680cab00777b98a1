// The machine-wide frame allocator and its free functions; see PhysicalMemory.h.
#include <kernel/log/Log.h>
#include <kernel/mm/PhysicalMemory.h>

namespace mm {

namespace {

constinit PhysicalAllocator s_allocator;

void report_bad_free(PhysAddr base, usize count, Error error, void* caller)
{
    if (error.code() == PhysicalAllocator::DOUBLE_FREE_ERROR)
        klog::error("mm: double free of {} frame(s) at {:#x} from {:#x}", count, base, reinterpret_cast<uptr>(caller));
    else
        klog::error(
            "mm: bad free of {} frame(s) at {:#x} from {:#x}: {}", count, base, reinterpret_cast<uptr>(caller), error);
}

} // namespace

PhysicalAllocator& physical_allocator()
{
    return s_allocator;
}

ErrorOr<PhysAddr> allocate_frame()
{
    return s_allocator.allocate_frame();
}

ErrorOr<PhysAddr> allocate_frames(usize count)
{
    return s_allocator.allocate_contiguous(count);
}

ErrorOr<PhysAddr> allocate_frames_aligned(usize count, usize alignment_in_frames, PhysAddr limit)
{
    return s_allocator.allocate_contiguous(count, alignment_in_frames, limit);
}

[[gnu::noinline]] ErrorOr<void> free_frame(PhysAddr frame)
{
    auto result = s_allocator.free_frame(frame);
    if (result.is_error())
        report_bad_free(frame, 1, result.error(), __builtin_return_address(0));
    return result;
}

[[gnu::noinline]] ErrorOr<void> free_frames(PhysAddr base, usize count)
{
    auto result = s_allocator.free_contiguous(base, count);
    if (result.is_error())
        report_bad_free(base, count, result.error(), __builtin_return_address(0));
    return result;
}

FrameStats frame_stats()
{
    return s_allocator.stats();
}

ErrorOr<void> reserve_frames(PhysAddr base, u64 length)
{
    return s_allocator.reserve(base, length);
}

bool is_frame_free(PhysAddr frame)
{
    return s_allocator.is_free(frame);
}

} // namespace mm
