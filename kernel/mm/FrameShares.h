#pragma once

// Reference counts for frames shared between address spaces (copy-on-write
// after fork). A frame has one owner unless this table says otherwise: the
// table keeps, per frame, the number of owners beyond the first ("extra"),
// as a u16 in an array over [base, base + count frames) of physical memory.
// MAX_PROCESSES (256) owners at most, so a u16 never overflows.
//
//   share(frame)          one more owner (fork maps it into the child)
//   drop_share(frame)     an owner lets go: true if others still own it (the
//                         caller must not free it), false if the caller was
//                         the last owner (it may free or keep the frame)
//   is_shared(frame)      more than one owner now
//
// Locking: each count is updated with atomic operations; drop_share
// decrements only a non-zero count (compare-exchange), so two owners
// dropping at once cannot both believe they were the last. Portable: no
// allocation here; the kernel hands in the storage (MemoryManager), the host
// tests an array.
#include <kernel/lib/Error.h>
#include <kernel/lib/Span.h>

namespace mm {

class FrameShares {
public:
    constexpr FrameShares() = default;

    // `storage` holds one u16 per frame of [base, base + storage.size() frames),
    // zeroed here.
    void initialize(PhysAddr base, Span<u16> storage);
    bool is_initialized() const { return m_counts != nullptr; }

    // EINVAL for a frame outside the covered range or misaligned; EOVERFLOW
    // past 65535 extra owners.
    ErrorOr<void> share(PhysAddr frame);
    bool drop_share(PhysAddr frame);
    bool is_shared(PhysAddr frame) const;
    u16 extra_owners(PhysAddr frame) const;

private:
    u16* slot(PhysAddr frame) const;

    PhysAddr m_base { 0 };
    u16* m_counts { nullptr };
    usize m_count { 0 };
};

// The kernel's table over all of physical memory, set up on first use
// (MemoryManager: frame_shares()).
FrameShares& frame_shares();

} // namespace mm
