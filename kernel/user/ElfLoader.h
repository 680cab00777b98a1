#pragma once

// Validation of ELF64 executables for Osprey (portable: the host tests run it
// on generated good and bad files). parse_elf() reads an untrusted file and
// either returns the load plan or ENOEXEC; nothing after it needs to check
// the file again. Accepted:
//   - ELFCLASS64, little endian, version 1, OS ABI System V or GNU, x86_64;
//   - ET_EXEC (static executable, loaded at its addresses) or ET_DYN without
//     PT_INTERP (static PIE, moved so its first page lands on STATIC_PIE_BASE);
//   - e_phentsize = 56, 1..MAX_PROGRAM_HEADERS headers, the table inside the
//     file and 8-byte aligned;
//   - PT_LOAD segments (at most ElfImage::MAX_SEGMENTS, zero-sized ones
//     ignored) in ascending address order with no page shared between two,
//     p_filesz <= p_memsz, file bytes inside the file, p_offset congruent to
//     p_vaddr modulo the page size (and modulo p_align when that is a larger
//     power of two), every page in [USER_MIN_ADDRESS, USER_MMAP_TOP), at most
//     MAX_IMAGE_BYTES from the first page to the last;
//   - an entry point inside an executable segment.
// PT_INTERP (dynamic linking) and PT_SHLIB are refused; other segment types
// (PT_DYNAMIC, PT_TLS, PT_NOTE, PT_GNU_*) are left to the program.
#include <kernel/lib/Error.h>
#include <kernel/lib/Span.h>
#include <kernel/user/Protection.h>

namespace user {

inline constexpr u16 MAX_PROGRAM_HEADERS = 128;

enum class ElfKind : u8 {
    Executable, // ET_EXEC
    StaticPie,  // ET_DYN without PT_INTERP
};

struct ElfSegment {
    VirtAddr start; // p_vaddr + load bias
    u64 file_offset;
    u64 file_size;
    u64 memory_size;
    Protection protection;

    VirtAddr page_start() const { return align_down<u64>(start, PAGE_SIZE); }
    VirtAddr page_end() const { return align_up<u64>(start + memory_size, PAGE_SIZE); }
};

struct ElfImage {
    static constexpr usize MAX_SEGMENTS = 16;

    ElfKind kind;
    VirtAddr load_bias; // 0 for ET_EXEC
    VirtAddr entry;     // with the bias
    // Where the program headers are in memory (AT_PHDR): PT_PHDR's address,
    // or the loaded copy of the table in a PT_LOAD; 0 if neither exists.
    VirtAddr program_headers;
    u16 program_header_size;
    u16 program_header_count;
    ElfSegment segments[MAX_SEGMENTS];
    usize segment_count;
    VirtAddr end; // page-aligned end of the last segment: the brk heap starts here
};

ErrorOr<ElfImage> parse_elf(Span<const u8> file);

} // namespace user
