#pragma once

// The physical frame allocator: one bit per 4 KiB frame over the frames
// between the lowest and the highest usable address of the boot memory map.
//
// Two bitmaps share the caller's storage:
//   - `used`: 1 when the frame cannot be handed out (allocated, reserved, or a
//     hole that no usable entry covers). Allocation scans it 64 frames a word.
//   - `pinned`: 1 when the frame is not the allocator's to give back on free
//     (reserved, or a hole). So free = !used, allocated = used && !pinned.
// Bits past the last frame are set in both, so scans never return them.
//
// The memory map may be unsorted and overlapping: a frame is usable only if a
// usable entry covers all of it and no other entry touches any byte of it
// (usable entries are rounded inward, the others outward).
//
// Invariant for speed: every `used` word below m_hint_word is full, so
// single-frame allocation starts there and is first fit (lowest frame).
// Contiguous allocation is first fit starting at a roving hint (where the last
// run ended), wrapping around to m_hint_word: next fit, so that allocate/free
// pairs do not rescan fragmented memory each time.
//
// Errors: EINVAL for an address that is misaligned, outside the managed range,
// a hole, or reserved; EFAULT for a double free (the frame is already free);
// ENOMEM when nothing fits; EBUSY when reserve() meets an allocated frame.
//
// Locking: every public member takes m_lock (a Spinlock, interrupts off), so
// callers need none. Nothing here allocates, blocks or calls out.
#include <boot/BootInfo.h>
#include <kernel/lib/Span.h>
#include <kernel/lib/Spinlock.h>

namespace mm {

// Counts in 4 KiB frames. free + used == total; reserved is part of used.
struct FrameStats {
    usize total;
    usize free;
    usize used;
    usize reserved;
};

class PhysicalAllocator {
public:
    static constexpr int DOUBLE_FREE_ERROR = EFAULT;
    static constexpr PhysAddr MAX_PHYSICAL_ADDRESS = 1ull << 52; // x86_64 MAXPHYADDR limit
    static constexpr PhysAddr NO_LIMIT = ~PhysAddr(0);

    constexpr PhysicalAllocator() = default;
    PhysicalAllocator(const PhysicalAllocator&) = delete;
    PhysicalAllocator& operator=(const PhysicalAllocator&) = delete;

    // Bytes of bitmap storage initialize() needs for this map (a multiple of 8).
    static usize bitmap_bytes_needed(Span<const boot::MemoryRegion> map);

    // Builds the bitmaps from `map` in `storage` (8-byte aligned, at least
    // bitmap_bytes_needed(map) bytes; EINVAL otherwise). A map with no usable
    // memory gives an allocator that manages nothing.
    ErrorOr<void> initialize(Span<const boot::MemoryRegion> map, Bytes storage);

    ErrorOr<PhysAddr> allocate_frame();
    // `count` contiguous frames whose first frame number is a multiple of
    // `alignment_in_frames` (a power of two), ending at or below `limit`.
    ErrorOr<PhysAddr> allocate_contiguous(usize count, usize alignment_in_frames = 1, PhysAddr limit = NO_LIMIT);

    ErrorOr<void> free_frame(PhysAddr frame);
    // All `count` frames are checked before any is freed.
    ErrorOr<void> free_contiguous(PhysAddr base, usize count);

    // Takes every free frame touching [base, base + length) out of use for
    // good. Frames already reserved, holes and frames outside the managed
    // range are left as they are; an allocated frame in the range gives EBUSY
    // and changes nothing.
    ErrorOr<void> reserve(PhysAddr base, u64 length);

    bool is_free(PhysAddr frame) const;
    FrameStats stats() const;

    // The managed range [lowest, highest).
    PhysAddr lowest_address() const { return m_base_frame * PAGE_SIZE; }
    PhysAddr highest_address() const { return (m_base_frame + m_frame_count) * PAGE_SIZE; }

private:
    enum class FrameState : u8 {
        Free,
        Allocated,
        Unavailable, // reserved or a hole
        OutOfRange,
    };

    FrameState state_locked(u64 index) const;
    bool index_of(PhysAddr frame, u64& index) const;
    usize find_next_clear_locked(usize from) const;
    usize find_next_set_locked(usize from, usize to) const;
    // The first run of `count` free frames starting in [from, end) that meets
    // the alignment and limit, or NOT_FOUND.
    usize find_run_locked(usize from, usize end, usize count, u64 alignment, u64 limit_frames) const;
    static constexpr usize NOT_FOUND = ~usize(0);

    mutable Spinlock m_lock;
    u64* m_used { nullptr };   // guarded by m_lock
    u64* m_pinned { nullptr }; // guarded by m_lock
    usize m_words { 0 };
    u64 m_base_frame { 0 };
    usize m_frame_count { 0 };
    usize m_total { 0 };
    usize m_free { 0 };      // guarded by m_lock
    usize m_reserved { 0 };  // guarded by m_lock
    usize m_hint_word { 0 }; // guarded by m_lock
    usize m_run_hint { 0 };  // guarded by m_lock
};

} // namespace mm
