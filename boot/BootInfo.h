#pragma once

// What the kernel learns from the boot loader, as plain data. boot/Multiboot2.cpp
// fills it from the Multiboot2 tags; nothing else in the kernel reads tags.
#include <kernel/lib/Error.h>
#include <kernel/lib/StringView.h>

namespace boot {

enum class MemoryType : u32 {
    Usable = 1,
    Reserved = 2,
    AcpiReclaimable = 3,
    AcpiNvs = 4,
    Bad = 5,
};

struct MemoryRegion {
    PhysAddr base;
    u64 length;
    MemoryType type;
};

struct Module {
    PhysAddr start;
    PhysAddr end; // exclusive
    char name[64];
};

struct BootInfo {
    static constexpr usize MAX_MEMORY_REGIONS = 128;
    static constexpr usize MAX_MODULES = 16;
    static constexpr usize MAX_COMMAND_LINE = 512;

    char command_line[MAX_COMMAND_LINE];
    char loader_name[64];

    MemoryRegion memory_map[MAX_MEMORY_REGIONS];
    usize memory_region_count;
    bool memory_map_truncated; // more entries than MAX_MEMORY_REGIONS

    Module modules[MAX_MODULES];
    usize module_count;

    // The ACPI RSDP as copied by the loader (tag 14 or 15); rsdp_length == 0 if absent.
    u8 rsdp[64];
    usize rsdp_length;

    // The boot information block itself, so it can be reserved.
    PhysAddr info_start;
    PhysAddr info_end;

    StringView command_line_view() const { return command_line; }
    const Module* find_module(StringView name) const;
};

// True if the space-separated command line contains `word` as a whole word
// (or as `word=value`).
bool command_line_has(StringView command_line, StringView word);
// The value of `key=value` on the command line, or an empty view.
StringView command_line_value(StringView command_line, StringView key);

// Parses a Multiboot2 information block of `available` readable bytes at
// `data`, whose physical address is `physical`. Malformed input (bad total
// size, a tag running past the end, misaligned or undersized tags, bad memory
// map entry sizes) gives EINVAL and never reads out of bounds.
ErrorOr<void> parse_multiboot2(const u8* data, usize available, PhysAddr physical, BootInfo& out);

} // namespace boot
