// Shared-frame reference counts; see FrameShares.h.
#include <kernel/mm/FrameShares.h>

namespace mm {

void FrameShares::initialize(PhysAddr base, Span<u16> storage)
{
    m_base = base;
    m_count = storage.size();
    for (u16& count : storage)
        count = 0;
    m_counts = storage.data();
}

u16* FrameShares::slot(PhysAddr frame) const
{
    if (!m_counts || frame % PAGE_SIZE != 0 || frame < m_base)
        return nullptr;
    u64 index = (frame - m_base) / PAGE_SIZE;
    return index < m_count ? &m_counts[index] : nullptr;
}

ErrorOr<void> FrameShares::share(PhysAddr frame)
{
    u16* count = slot(frame);
    if (!count)
        return Error::from_errno(EINVAL);
    u16 old = __atomic_load_n(count, __ATOMIC_RELAXED);
    do {
        if (old == 0xffff)
            return Error::from_errno(EOVERFLOW);
    } while (!__atomic_compare_exchange_n(count, &old, u16(old + 1), false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
    return {};
}

bool FrameShares::drop_share(PhysAddr frame)
{
    u16* count = slot(frame);
    if (!count)
        return false;
    u16 old = __atomic_load_n(count, __ATOMIC_ACQUIRE);
    while (old > 0) {
        if (__atomic_compare_exchange_n(count, &old, u16(old - 1), false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            return true;
    }
    return false;
}

bool FrameShares::is_shared(PhysAddr frame) const
{
    return extra_owners(frame) > 0;
}

u16 FrameShares::extra_owners(PhysAddr frame) const
{
    u16* count = slot(frame);
    return count ? __atomic_load_n(count, __ATOMIC_ACQUIRE) : 0;
}

} // namespace mm
