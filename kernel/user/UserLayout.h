#pragma once

// Where things go in a user address space (the lower half, below
// mm::USER_END = 0x0000800000000000):
//
//   0 .. USER_MIN_ADDRESS          never mapped: null-pointer accesses fault
//   0x0000000000400000             static executables (ld.lld --image-base, as DESIGN says)
//   image end ..                   the brk heap, growing up
//   0x0000555555554000             static-PIE executables (ET_DYN): the first
//                                  segment's page goes here (Linux's ELF_ET_DYN_BASE
//                                  without randomization, familiar from gdb)
//   .. mmap area, top down ..      anonymous mmap, below the stack's guard gap
//   USER_STACK_TOP - 8 MiB - 64 KiB   guard gap: reserved, never mapped
//   USER_STACK_TOP - 8 MiB         the stack: 8 MiB reserved, the top
//                                  USER_STACK_MAPPED bytes mapped at start
//   USER_STACK_TOP                 0x00007ff000000000
//   above USER_STACK_TOP           free for MAP_FIXED mappings up to USER_END
//
// There is no address-space randomization yet; the fixed layout makes faults
// reproducible while the kernel grows.
#include <kernel/lib/Types.h>
#include <kernel/mm/Layout.h>

namespace user {

inline constexpr VirtAddr USER_MIN_ADDRESS = 0x10000;
inline constexpr VirtAddr STATIC_PIE_BASE = 0x0000555555554000;
inline constexpr VirtAddr USER_STACK_TOP = 0x00007ff000000000;
inline constexpr u64 USER_STACK_RESERVED = 8 * MiB;
inline constexpr u64 USER_STACK_MAPPED = 256 * KiB;
inline constexpr u64 USER_STACK_GUARD = 64 * KiB;
inline constexpr VirtAddr USER_STACK_BOTTOM = USER_STACK_TOP - USER_STACK_RESERVED;
inline constexpr VirtAddr USER_STACK_GUARD_BOTTOM = USER_STACK_BOTTOM - USER_STACK_GUARD;
// ELF segments and mmap without MAP_FIXED stay below the stack's guard gap.
inline constexpr VirtAddr USER_MMAP_TOP = USER_STACK_GUARD_BOTTOM;
// A program image (all PT_LOAD segments together) is at most this large.
inline constexpr u64 MAX_IMAGE_BYTES = 1 * GiB;

static_assert(USER_STACK_TOP < mm::USER_END && USER_STACK_MAPPED <= USER_STACK_RESERVED);

} // namespace user
