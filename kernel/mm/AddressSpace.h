#pragma once

// A user address space: its own PML4 whose lower half (entries 0..255) maps
// user memory and whose upper half is a copy of the kernel's entries 256..511.
// The kernel never frees or adds PDPTs there after boot (PageTable.h), so the
// copy stays right for the life of the address space.
//
// Every operation works on user addresses only, [0, USER_END): a range that
// touches anything else is EFAULT; misaligned or empty ranges are EINVAL.
// Pages are always mapped with the User flag.
//
// Locking: m_lock serializes all changes. Page-table frames are taken from the
// PageTableMemory under it; that allocator is a non-blocking spinlock one, so
// the lock order is AddressSpace::m_lock, then the frame allocator's lock.
// destroy() must only run once the address space is active on no CPU.
#include <kernel/lib/Spinlock.h>
#include <kernel/mm/PageTable.h>

namespace mm {

enum class MappedFrames : u8 {
    Keep, // the frames belong to someone else (shared memory, MMIO)
    Free, // hand every mapped frame back through the callback
};

class AddressSpace {
public:
    // Returns a leaf's frames to their allocator (4 KiB, 2 MiB or 1 GiB worth).
    using FrameReleaser = void (*)(PhysAddr physical, PageSize size);

    constexpr AddressSpace() = default;
    AddressSpace(const AddressSpace&) = delete;
    AddressSpace& operator=(const AddressSpace&) = delete;
    ~AddressSpace() = default;

    // Allocates the PML4 and copies the kernel half from `kernel_root`.
    ErrorOr<void> create(PageTableMemory& memory, PhysAddr kernel_root, PagingFeatures features);
    // Frees every page-table frame (and, with MappedFrames::Free, every mapped
    // frame through `release`). The object can be created again afterwards.
    void destroy(MappedFrames frames = MappedFrames::Keep, FrameReleaser release = nullptr);

    bool is_created() const { return m_root != 0; }
    PhysAddr root() const { return m_root; } // for CR3

    ErrorOr<void> map(
        VirtAddr virtual_address, PhysAddr physical, u64 length, PageFlags flags, PageSize largest = PageSize::Size4K);
    // With MappedFrames::Free, the unmapped frames go to `release`.
    ErrorOr<void> unmap(VirtAddr virtual_address, u64 length, MappedFrames frames = MappedFrames::Keep,
        FrameReleaser release = nullptr);
    ErrorOr<void> protect(VirtAddr virtual_address, u64 length, PageFlags flags);
    ErrorOr<Translation> query(VirtAddr virtual_address) const;

private:
    static ErrorOr<void> check_user_range(VirtAddr virtual_address, u64 length);
    static LeafVisitor releasing_visitor(MappedFrames frames, FrameReleaser& release);

    mutable Spinlock m_lock;
    PageTableMemory* m_memory { nullptr };
    PhysAddr m_root { 0 };
    PagingFeatures m_features {};
};

} // namespace mm
