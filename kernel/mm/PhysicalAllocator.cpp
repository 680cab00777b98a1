// Physical frame allocator over two bitmaps; see PhysicalAllocator.h for the
// representation, the invariants and the error values.
#include <kernel/mm/PhysicalAllocator.h>

namespace mm {

namespace {

constexpr usize BITS_PER_WORD = 64;
constexpr u64 ALL_ONES = ~u64(0);
// Alignments past 2^40 frames (4 EiB) cannot be met and would overflow align_up.
constexpr usize MAX_ALIGNMENT_IN_FRAMES = usize(1) << 40;

struct FrameRange {
    u64 first; // frame numbers, [first, end)
    u64 end;
};

PhysAddr clamp_end(PhysAddr base, u64 length)
{
    PhysAddr end = base + length;
    if (end < base || end > PhysicalAllocator::MAX_PHYSICAL_ADDRESS)
        end = PhysicalAllocator::MAX_PHYSICAL_ADDRESS;
    return end;
}

// Frames wholly inside [base, base + length).
FrameRange inner_frames(PhysAddr base, u64 length)
{
    if (base >= PhysicalAllocator::MAX_PHYSICAL_ADDRESS)
        return { 0, 0 };
    u64 first = align_up<u64>(base, PAGE_SIZE) / PAGE_SIZE;
    u64 end = align_down<u64>(clamp_end(base, length), PAGE_SIZE) / PAGE_SIZE;
    return { first, end > first ? end : first };
}

// Frames touching any byte of [base, base + length).
FrameRange outer_frames(PhysAddr base, u64 length)
{
    if (base >= PhysicalAllocator::MAX_PHYSICAL_ADDRESS || length == 0)
        return { 0, 0 };
    u64 first = base / PAGE_SIZE;
    u64 end = align_up<u64>(clamp_end(base, length), PAGE_SIZE) / PAGE_SIZE;
    return { first, end };
}

// The usable frames of the map span [first, end) (empty if there are none).
FrameRange usable_span(Span<const boot::MemoryRegion> map)
{
    FrameRange span { ALL_ONES, 0 };
    for (const auto& region : map) {
        if (region.type != boot::MemoryType::Usable)
            continue;
        FrameRange frames = inner_frames(region.base, region.length);
        if (frames.first >= frames.end)
            continue;
        span.first = min(span.first, frames.first);
        span.end = max(span.end, frames.end);
    }
    if (span.end == 0)
        return { 0, 0 };
    return span;
}

// Calls visit(word, mask) for each word the bit range [first, first + count) touches.
template<typename Visitor>
void for_each_word(usize first, usize count, Visitor visit)
{
    while (count) {
        usize word = first / BITS_PER_WORD;
        usize bit = first % BITS_PER_WORD;
        usize n = min(BITS_PER_WORD - bit, count);
        u64 mask = n == BITS_PER_WORD ? ALL_ONES : ((u64(1) << n) - 1) << bit;
        visit(word, mask);
        first += n;
        count -= n;
    }
}

usize count_ones(u64 value)
{
    return static_cast<usize>(__builtin_popcountll(value));
}

} // namespace

usize PhysicalAllocator::bitmap_bytes_needed(Span<const boot::MemoryRegion> map)
{
    FrameRange span = usable_span(map);
    usize words = (span.end - span.first + BITS_PER_WORD - 1) / BITS_PER_WORD;
    return 2 * words * sizeof(u64);
}

ErrorOr<void> PhysicalAllocator::initialize(Span<const boot::MemoryRegion> map, Bytes storage)
{
    FrameRange span = usable_span(map);
    usize frame_count = span.end - span.first;
    usize words = (frame_count + BITS_PER_WORD - 1) / BITS_PER_WORD;
    if (storage.size() < 2 * words * sizeof(u64) || reinterpret_cast<uptr>(storage.data()) % alignof(u64) != 0)
        return Error::from_errno(EINVAL);

    SpinlockGuard guard(m_lock);
    m_used = reinterpret_cast<u64*>(storage.data());
    m_pinned = m_used + words;
    m_words = words;
    m_base_frame = span.first;
    m_frame_count = frame_count;
    for (usize i = 0; i < words; ++i)
        m_used[i] = m_pinned[i] = ALL_ONES;

    // Open every frame a usable entry covers, then close every frame that any
    // other entry touches. The order of the entries does not matter.
    for (const auto& region : map) {
        if (region.type != boot::MemoryType::Usable)
            continue;
        FrameRange frames = inner_frames(region.base, region.length);
        if (frames.first >= frames.end)
            continue;
        for_each_word(frames.first - m_base_frame, frames.end - frames.first, [&](usize word, u64 mask) {
            m_used[word] &= ~mask;
            m_pinned[word] &= ~mask;
        });
    }
    for (const auto& region : map) {
        if (region.type == boot::MemoryType::Usable)
            continue;
        FrameRange frames = outer_frames(region.base, region.length);
        u64 first = max<u64>(frames.first, m_base_frame);
        u64 end = min<u64>(frames.end, m_base_frame + m_frame_count);
        if (first >= end)
            continue;
        for_each_word(first - m_base_frame, end - first, [&](usize word, u64 mask) {
            m_used[word] |= mask;
            m_pinned[word] |= mask;
        });
    }

    usize used_bits = 0;
    for (usize i = 0; i < words; ++i)
        used_bits += count_ones(m_used[i]);
    m_total = words * BITS_PER_WORD - used_bits;
    m_free = m_total;
    m_reserved = 0;
    m_hint_word = 0;
    m_run_hint = 0;
    return {};
}

bool PhysicalAllocator::index_of(PhysAddr frame, u64& index) const
{
    if (frame % PAGE_SIZE != 0)
        return false;
    u64 number = frame / PAGE_SIZE;
    if (number < m_base_frame || number - m_base_frame >= m_frame_count)
        return false;
    index = number - m_base_frame;
    return true;
}

PhysicalAllocator::FrameState PhysicalAllocator::state_locked(u64 index) const
{
    if (index >= m_frame_count)
        return FrameState::OutOfRange;
    u64 bit = u64(1) << (index % BITS_PER_WORD);
    usize word = index / BITS_PER_WORD;
    if (m_pinned[word] & bit)
        return FrameState::Unavailable;
    return (m_used[word] & bit) ? FrameState::Allocated : FrameState::Free;
}

usize PhysicalAllocator::find_next_clear_locked(usize from) const
{
    if (from >= m_frame_count)
        return m_frame_count;
    usize word = from / BITS_PER_WORD;
    u64 bits = ~m_used[word] & (ALL_ONES << (from % BITS_PER_WORD));
    for (;;) {
        if (bits)
            return word * BITS_PER_WORD + static_cast<usize>(__builtin_ctzll(bits));
        if (++word >= m_words)
            return m_frame_count;
        bits = ~m_used[word];
    }
}

usize PhysicalAllocator::find_next_set_locked(usize from, usize to) const
{
    if (from >= to)
        return to;
    usize word = from / BITS_PER_WORD;
    u64 bits = m_used[word] & (ALL_ONES << (from % BITS_PER_WORD));
    for (;;) {
        if (bits) {
            usize index = word * BITS_PER_WORD + static_cast<usize>(__builtin_ctzll(bits));
            return index < to ? index : to;
        }
        if (++word * BITS_PER_WORD >= to)
            return to;
        bits = m_used[word];
    }
}

ErrorOr<PhysAddr> PhysicalAllocator::allocate_frame()
{
    SpinlockGuard guard(m_lock);
    if (m_free == 0)
        return Error::from_errno(ENOMEM);
    for (usize word = m_hint_word; word < m_words; ++word) {
        u64 available = ~m_used[word];
        if (!available)
            continue;
        u64 bit = available & (~available + 1); // lowest clear bit of m_used[word]
        m_used[word] |= bit;
        m_hint_word = word;
        --m_free;
        u64 index = word * BITS_PER_WORD + static_cast<usize>(__builtin_ctzll(bit));
        return (m_base_frame + index) * PAGE_SIZE;
    }
    // Unreachable while m_free counts correctly; report exhaustion rather than trust it.
    m_hint_word = m_words;
    return Error::from_errno(ENOMEM);
}

usize PhysicalAllocator::find_run_locked(usize from, usize end, usize count, u64 alignment, u64 limit_frames) const
{
    for (;;) {
        usize index = find_next_clear_locked(from);
        if (index >= end)
            return NOT_FOUND;
        u64 absolute = align_up<u64>(m_base_frame + index, alignment);
        index = absolute - m_base_frame;
        if (index >= end || count > m_frame_count - index || absolute + count > limit_frames)
            return NOT_FOUND; // later candidates only lie further up
        usize blocker = find_next_set_locked(index, index + count);
        if (blocker == index + count)
            return index;
        from = blocker + 1;
    }
}

ErrorOr<PhysAddr> PhysicalAllocator::allocate_contiguous(usize count, usize alignment_in_frames, PhysAddr limit)
{
    if (count == 0 || !is_power_of_two(alignment_in_frames) || alignment_in_frames > MAX_ALIGNMENT_IN_FRAMES)
        return Error::from_errno(EINVAL);
    u64 limit_frames = limit / PAGE_SIZE;

    SpinlockGuard guard(m_lock);
    if (count > m_free)
        return Error::from_errno(ENOMEM);
    // Search from where the last run ended up to the top, then from the
    // lowest possibly free word up to there: the first fit after the roving
    // hint, so repeated allocate/free pairs do not rescan fragmented memory.
    usize floor = m_hint_word * BITS_PER_WORD;
    usize start = max(m_run_hint, floor);
    usize index = find_run_locked(start, m_frame_count, count, alignment_in_frames, limit_frames);
    if (index == NOT_FOUND && start > floor)
        index = find_run_locked(floor, start, count, alignment_in_frames, limit_frames);
    if (index == NOT_FOUND)
        return Error::from_errno(ENOMEM);
    for_each_word(index, count, [&](usize word, u64 mask) { m_used[word] |= mask; });
    m_free -= count;
    m_run_hint = index + count;
    return (m_base_frame + index) * PAGE_SIZE;
}

ErrorOr<void> PhysicalAllocator::free_frame(PhysAddr frame)
{
    SpinlockGuard guard(m_lock);
    u64 index = 0;
    if (!index_of(frame, index))
        return Error::from_errno(EINVAL);
    switch (state_locked(index)) {
    case FrameState::Free:
        return Error::from_errno(DOUBLE_FREE_ERROR);
    case FrameState::Unavailable:
    case FrameState::OutOfRange:
        return Error::from_errno(EINVAL);
    case FrameState::Allocated:
        break;
    }
    usize word = index / BITS_PER_WORD;
    m_used[word] &= ~(u64(1) << (index % BITS_PER_WORD));
    ++m_free;
    if (word < m_hint_word)
        m_hint_word = word;
    return {};
}

ErrorOr<void> PhysicalAllocator::free_contiguous(PhysAddr base, usize count)
{
    if (count == 0)
        return Error::from_errno(EINVAL);
    SpinlockGuard guard(m_lock);
    u64 first = 0;
    if (!index_of(base, first) || count > m_frame_count - first)
        return Error::from_errno(EINVAL);

    bool unavailable = false;
    bool already_free = false;
    for_each_word(first, count, [&](usize word, u64 mask) {
        unavailable |= (m_pinned[word] & mask) != 0;
        already_free |= (~m_used[word] & mask) != 0;
    });
    if (unavailable)
        return Error::from_errno(EINVAL);
    if (already_free)
        return Error::from_errno(DOUBLE_FREE_ERROR);

    for_each_word(first, count, [&](usize word, u64 mask) { m_used[word] &= ~mask; });
    m_free += count;
    usize word = first / BITS_PER_WORD;
    if (word < m_hint_word)
        m_hint_word = word;
    return {};
}

ErrorOr<void> PhysicalAllocator::reserve(PhysAddr base, u64 length)
{
    FrameRange frames = outer_frames(base, length);
    SpinlockGuard guard(m_lock);
    u64 first = max<u64>(frames.first, m_base_frame);
    u64 end = min<u64>(frames.end, m_base_frame + m_frame_count);
    if (first >= end)
        return {};
    first -= m_base_frame;
    end -= m_base_frame;

    bool allocated = false;
    for_each_word(
        first, end - first, [&](usize word, u64 mask) { allocated |= (m_used[word] & ~m_pinned[word] & mask) != 0; });
    if (allocated)
        return Error::from_errno(EBUSY);

    usize newly_reserved = 0;
    for_each_word(first, end - first, [&](usize word, u64 mask) {
        u64 taken = ~m_used[word] & mask;
        m_used[word] |= taken;
        m_pinned[word] |= taken;
        newly_reserved += count_ones(taken);
    });
    m_free -= newly_reserved;
    m_reserved += newly_reserved;
    return {};
}

bool PhysicalAllocator::is_free(PhysAddr frame) const
{
    SpinlockGuard guard(m_lock);
    u64 index = 0;
    return index_of(frame, index) && state_locked(index) == FrameState::Free;
}

FrameStats PhysicalAllocator::stats() const
{
    SpinlockGuard guard(m_lock);
    return { m_total, m_free, m_total - m_free, m_reserved };
}

} // namespace mm
