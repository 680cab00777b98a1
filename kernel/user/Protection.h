#pragma once

// Access rights of user memory, as mmap's PROT_* bits (Linux
// include/uapi/asm-generic/mman-common.h): the same values, so a syscall's
// argument converts by a range check alone.
#include <kernel/lib/Types.h>

namespace user {

enum class Protection : u8 {
    None = 0,
    Read = 1,
    Write = 2,
    Execute = 4,
};

inline constexpr u8 PROTECTION_MASK = 7;

constexpr Protection operator|(Protection a, Protection b)
{
    return static_cast<Protection>(static_cast<u8>(a) | static_cast<u8>(b));
}
constexpr bool has_protection(Protection set, Protection bit)
{
    return (static_cast<u8>(set) & static_cast<u8>(bit)) == static_cast<u8>(bit) && bit != Protection::None;
}

} // namespace user
