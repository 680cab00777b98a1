#pragma once

// Page-table entry flags and page sizes of x86_64 4-level paging (Intel SDM
// vol. 3A, section 4.5, tables 4-15 to 4-20). The values are the hardware
// bits, so an entry is `physical | flags`. The page-size bit (PS, bit 7) and
// the PAT bits are not flags here: PageTable sets PS from the page size and
// never uses PAT, so every mapping is write-back unless CacheDisable or
// WriteThrough say otherwise.
#include <kernel/lib/Types.h>

namespace mm {

enum class PageFlags : u64 {
    None = 0,
    Present = u64(1) << 0,
    Writable = u64(1) << 1,
    User = u64(1) << 2,
    WriteThrough = u64(1) << 3,
    CacheDisable = u64(1) << 4,
    Accessed = u64(1) << 5,
    Dirty = u64(1) << 6,
    Global = u64(1) << 8,
    // Bits 9..11 are ignored by the MMU; the kernel may use them (e.g. copy-on-write).
    Software0 = u64(1) << 9,
    Software1 = u64(1) << 10,
    Software2 = u64(1) << 11,
    NoExecute = u64(1) << 63,
};

constexpr PageFlags operator|(PageFlags a, PageFlags b)
{
    return static_cast<PageFlags>(static_cast<u64>(a) | static_cast<u64>(b));
}
constexpr PageFlags operator&(PageFlags a, PageFlags b)
{
    return static_cast<PageFlags>(static_cast<u64>(a) & static_cast<u64>(b));
}
constexpr PageFlags operator~(PageFlags a)
{
    return static_cast<PageFlags>(~static_cast<u64>(a));
}
constexpr PageFlags& operator|=(PageFlags& a, PageFlags b)
{
    return a = a | b;
}
constexpr PageFlags& operator&=(PageFlags& a, PageFlags b)
{
    return a = a & b;
}
constexpr bool has_flag(PageFlags flags, PageFlags flag)
{
    return (static_cast<u64>(flags) & static_cast<u64>(flag)) == static_cast<u64>(flag);
}

// Every flag above; anything else passed to PageTable is EINVAL.
inline constexpr PageFlags ALL_PAGE_FLAGS = PageFlags::Present | PageFlags::Writable | PageFlags::User
    | PageFlags::WriteThrough | PageFlags::CacheDisable | PageFlags::Accessed | PageFlags::Dirty | PageFlags::Global
    | PageFlags::Software0 | PageFlags::Software1 | PageFlags::Software2 | PageFlags::NoExecute;

// Uncached memory-mapped I/O: PCD and PWT select UC with the power-on PAT.
inline constexpr PageFlags UNCACHED = PageFlags::CacheDisable | PageFlags::WriteThrough;

enum class PageSize : u8 {
    Size4K,
    Size2M,
    Size1G,
};

constexpr u64 page_size_bytes(PageSize size)
{
    switch (size) {
    case PageSize::Size4K:
        return 4 * KiB;
    case PageSize::Size2M:
        return 2 * MiB;
    case PageSize::Size1G:
        return GiB;
    }
    return 4 * KiB;
}

} // namespace mm
