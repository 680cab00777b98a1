#pragma once

// Fixed-width integer names used everywhere in the kernel. The freestanding
// <stdint.h> and <stddef.h> come from the compiler, not from a host libc.
#include <stddef.h>
#include <stdint.h>

using u8 = uint8_t;
using u16 = uint16_t;
using u32 = uint32_t;
using u64 = uint64_t;
using i8 = int8_t;
using i16 = int16_t;
using i32 = int32_t;
using i64 = int64_t;
using usize = size_t;
using isize = ptrdiff_t;
using uptr = uintptr_t;

// Physical and virtual addresses are plain integers; the names say which is meant.
using PhysAddr = u64;
using VirtAddr = u64;

inline constexpr usize KiB = 1024;
inline constexpr usize MiB = 1024 * KiB;
inline constexpr usize GiB = 1024 * MiB;

inline constexpr usize PAGE_SIZE = 4096;
inline constexpr usize PAGE_SHIFT = 12;
inline constexpr usize HUGE_PAGE_SIZE = 2 * MiB;

template<typename T>
constexpr T align_down(T value, T alignment)
{
    return value & ~(alignment - 1);
}

template<typename T>
constexpr T align_up(T value, T alignment)
{
    return (value + alignment - 1) & ~(alignment - 1);
}

template<typename T>
constexpr bool is_aligned(T value, T alignment)
{
    return (value & (alignment - 1)) == 0;
}

template<typename T>
constexpr bool is_power_of_two(T value)
{
    return value != 0 && (value & (value - 1)) == 0;
}

template<typename T>
constexpr T min(T a, T b)
{
    return a < b ? a : b;
}

template<typename T>
constexpr T max(T a, T b)
{
    return a > b ? a : b;
}

template<typename T, usize N>
constexpr usize array_size(T (&)[N])
{
    return N;
}
