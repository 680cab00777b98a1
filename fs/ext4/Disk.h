#pragma once

// Little-endian loads and stores at byte offsets of on-disk structures.
// ext4's structures are read through these rather than through C++ structs
// so that no alignment or padding assumption can bite, and so that every
// access names its offset next to the layout constants (Layout.h).
#include <kernel/lib/Types.h>

namespace ext4 {

inline u8 load8(const u8* base, usize offset)
{
    return base[offset];
}
inline u16 load16(const u8* base, usize offset)
{
    return u16(base[offset] | (u16(base[offset + 1]) << 8));
}
inline u32 load32(const u8* base, usize offset)
{
    return u32(base[offset]) | (u32(base[offset + 1]) << 8) | (u32(base[offset + 2]) << 16)
        | (u32(base[offset + 3]) << 24);
}
inline u64 load64(const u8* base, usize offset)
{
    return u64(load32(base, offset)) | (u64(load32(base, offset + 4)) << 32);
}
inline void store8(u8* base, usize offset, u8 value)
{
    base[offset] = value;
}
inline void store16(u8* base, usize offset, u16 value)
{
    base[offset] = u8(value);
    base[offset + 1] = u8(value >> 8);
}
inline void store32(u8* base, usize offset, u32 value)
{
    for (usize i = 0; i < 4; ++i)
        base[offset + i] = u8(value >> (8 * i));
}
inline void store64(u8* base, usize offset, u64 value)
{
    store32(base, offset, u32(value));
    store32(base, offset + 4, u32(value >> 32));
}

// jbd2 is big-endian.
inline u32 load32_be(const u8* base, usize offset)
{
    return (u32(base[offset]) << 24) | (u32(base[offset + 1]) << 16) | (u32(base[offset + 2]) << 8)
        | u32(base[offset + 3]);
}
inline u16 load16_be(const u8* base, usize offset)
{
    return u16((u16(base[offset]) << 8) | base[offset + 1]);
}
inline u64 load64_be(const u8* base, usize offset)
{
    return (u64(load32_be(base, offset)) << 32) | load32_be(base, offset + 4);
}
inline void store32_be(u8* base, usize offset, u32 value)
{
    for (usize i = 0; i < 4; ++i)
        base[offset + i] = u8(value >> (24 - 8 * i));
}
inline void store64_be(u8* base, usize offset, u64 value)
{
    store32_be(base, offset, u32(value >> 32));
    store32_be(base, offset + 4, u32(value));
}

inline void copy_bytes(u8* destination, const u8* source, usize count)
{
    __builtin_memmove(destination, source, count);
}
inline void fill_bytes(u8* destination, u8 value, usize count)
{
    __builtin_memset(destination, value, count);
}
inline bool equal_bytes(const u8* a, const u8* b, usize count)
{
    return __builtin_memcmp(a, b, count) == 0;
}

} // namespace ext4
