#pragma once

// The kernel's table of shared user frames (mm::FrameShares over all of
// physical memory) and the frame releaser every user address space uses:
// a frame still owned by another address space (after fork) loses one owner
// instead of going back to the allocator.
#include <kernel/mm/FrameShares.h>
#include <kernel/mm/PageTable.h>

namespace user {

// Sets the table up (once, at the first process; ENOMEM).
ErrorOr<void> init_frame_shares();
mm::FrameShares& frame_shares();
void release_user_frames(PhysAddr physical, mm::PageSize size);

} // namespace user
