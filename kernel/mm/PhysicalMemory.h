#pragma once

// The kernel's physical frames: one PhysicalAllocator for the whole machine,
// set up by mm::init (kernel/mm/MemoryManager.h) from the boot memory map and
// usable from any context afterwards (it locks internally, never blocks).
//
// Errors: ENOMEM when no (run of) frame(s) is free; EINVAL for an address the
// allocator does not hand out (misaligned, outside RAM, reserved, a hole);
// EFAULT (PhysicalAllocator::DOUBLE_FREE_ERROR) for a double free. Bad frees
// are also logged with the caller's return address.
#include <kernel/mm/PhysicalAllocator.h>

namespace mm {

ErrorOr<PhysAddr> allocate_frame();
// `count` physically contiguous frames (first fit from a roving hint; see PhysicalAllocator.h).
ErrorOr<PhysAddr> allocate_frames(usize count);
ErrorOr<void> free_frame(PhysAddr frame);
ErrorOr<void> free_frames(PhysAddr base, usize count);
FrameStats frame_stats();

// Contiguous frames with the first frame number a multiple of
// `alignment_in_frames`, all below `limit` (for 32-bit DMA, say).
ErrorOr<PhysAddr> allocate_frames_aligned(
    usize count, usize alignment_in_frames, PhysAddr limit = PhysicalAllocator::NO_LIMIT);
// Takes [base, base + length) out of use for good (see PhysicalAllocator::reserve).
ErrorOr<void> reserve_frames(PhysAddr base, u64 length);
bool is_frame_free(PhysAddr frame);

// The machine's allocator, for mm::init and for host tests that set it up
// on a simulated memory map.
PhysicalAllocator& physical_allocator();

} // namespace mm
