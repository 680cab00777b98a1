// The shared-frame table and the releaser; see CopyOnWrite.h.
#include <kernel/core/Panic.h>
#include <kernel/mm/Heap.h>
#include <kernel/mm/MemoryManager.h>
#include <kernel/mm/PhysicalMemory.h>
#include <kernel/user/CopyOnWrite.h>

namespace user {

namespace {

constinit mm::FrameShares s_frame_shares;

} // namespace

ErrorOr<void> init_frame_shares()
{
    if (s_frame_shares.is_initialized())
        return {};
    mm::PhysicalAllocator& allocator = mm::physical_allocator();
    PhysAddr base = allocator.lowest_address();
    usize frames = (allocator.highest_address() - base) / PAGE_SIZE;
    auto* storage = static_cast<u16*>(kmalloc(frames * sizeof(u16)));
    if (!storage)
        return Error::from_errno(ENOMEM);
    s_frame_shares.initialize(base, { storage, frames });
    return {};
}

mm::FrameShares& frame_shares()
{
    return s_frame_shares;
}

void release_user_frames(PhysAddr physical, mm::PageSize size)
{
    // User memory maps 4 KiB pages only.
    VERIFY(size == mm::PageSize::Size4K);
    if (s_frame_shares.drop_share(physical))
        return;
    mm::release_frames(physical, size);
}

} // namespace user
