#pragma once

// The test programs built from userland/test/ and linked into the kernel
// image (userland/test/UserPrograms.cmake generates the assembly that
// .incbin's each ELF file and lists it), so kshell's `run` can start them
// before there is a file system. The bad-ELF samples are among them.
#include <kernel/lib/Span.h>
#include <kernel/lib/StringView.h>

namespace user {

struct EmbeddedProgram {
    const char* name;
    const u8* data;
    u64 size;
};

Span<const EmbeddedProgram> embedded_programs();
const EmbeddedProgram* find_embedded_program(StringView name);

} // namespace user
