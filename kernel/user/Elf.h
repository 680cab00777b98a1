#pragma once

// The ELF-64 structures and constants the program loader reads ("ELF-64
// Object File Format" version 1.5; System V gABI chapters 4 and 5; the
// x86-64 psABI for EM_X86_64). Plain layouts of the file format: the loader
// copies them out of the file with memcpy, never through a cast pointer, so
// an image at any alignment is read safely.
#include <kernel/lib/Types.h>

namespace elf {

// e_ident (gABI 4, "ELF Identification")
inline constexpr u8 MAGIC[4] = { 0x7f, 'E', 'L', 'F' };
inline constexpr usize IDENT_CLASS = 4;
inline constexpr usize IDENT_DATA = 5;
inline constexpr usize IDENT_VERSION = 6;
inline constexpr usize IDENT_OSABI = 7;
inline constexpr u8 CLASS_64 = 2;
inline constexpr u8 DATA_LITTLE_ENDIAN = 1;
inline constexpr u8 OSABI_SYSV = 0;
inline constexpr u8 OSABI_GNU = 3;
inline constexpr u32 VERSION_CURRENT = 1;

// e_type, e_machine
inline constexpr u16 TYPE_EXEC = 2;
inline constexpr u16 TYPE_DYN = 3;
inline constexpr u16 MACHINE_X86_64 = 62;

// p_type (gABI 5, "Program Header"), plus the GNU types seen in practice.
inline constexpr u32 PT_NULL = 0;
inline constexpr u32 PT_LOAD = 1;
inline constexpr u32 PT_DYNAMIC = 2;
inline constexpr u32 PT_INTERP = 3;
inline constexpr u32 PT_NOTE = 4;
inline constexpr u32 PT_SHLIB = 5; // reserved; a conforming program has none
inline constexpr u32 PT_PHDR = 6;
inline constexpr u32 PT_TLS = 7;
inline constexpr u32 PT_GNU_STACK = 0x6474e551;

// p_flags
inline constexpr u32 PF_X = 1;
inline constexpr u32 PF_W = 2;
inline constexpr u32 PF_R = 4;

struct Header {
    u8 ident[16];
    u16 type;
    u16 machine;
    u32 version;
    u64 entry;
    u64 program_header_offset;
    u64 section_header_offset;
    u32 flags;
    u16 header_size;
    u16 program_header_size;
    u16 program_header_count;
    u16 section_header_size;
    u16 section_header_count;
    u16 section_name_index;
};
static_assert(sizeof(Header) == 64);

struct ProgramHeader {
    u32 type;
    u32 flags;
    u64 offset;
    u64 virtual_address;
    u64 physical_address;
    u64 file_size;
    u64 memory_size;
    u64 alignment;
};
static_assert(sizeof(ProgramHeader) == 56);

} // namespace elf
