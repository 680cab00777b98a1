#pragma once

// Loading a program image into a fresh UserMemory: the ELF segments, the brk
// heap start and the stack with the System V initial layout (argc, argv,
// envp, auxv; UserLayout.h for where things go). Used by spawn (kshell, init)
// and by execve. Nothing here touches the running process: the caller swaps
// the new memory in only once everything succeeded.
#include <fs/vfs/Vfs.h>
#include <kernel/lib/Span.h>
#include <kernel/lib/StringView.h>
#include <kernel/user/UserMemory.h>

namespace proc {

// The initial stack image (strings, vectors) is built in a kernel buffer of
// this size: the limit on argv plus envp (E2BIG beyond).
inline constexpr usize INITIAL_STACK_IMAGE_MAX = 32 * KiB;

struct LoadedProgram {
    VirtAddr entry;
    VirtAddr stack_pointer;
};

// ENOEXEC for an image the ELF loader refuses, E2BIG when argv and envp do
// not fit the stack image, ENOMEM when memory runs out. `memory` must be
// created and empty.
ErrorOr<LoadedProgram> load_program(user::UserMemory& memory, Span<const u8> file, Span<const StringView> arguments,
    Span<const StringView> environment);

// Reads a whole regular file for execve: ENOENT/ENOTDIR/ELOOP as the path
// walk says, EACCES for a non-regular file or one without execute
// permission, ENOEXEC for an empty file, E2BIG past MAX_EXECUTABLE_BYTES. The buffer is
// kmalloc'd; the caller kfree's it.
inline constexpr u64 MAX_EXECUTABLE_BYTES = 64 * MiB;
struct FileBytes {
    u8* data;
    usize size;
};
ErrorOr<FileBytes> read_executable(const fs::Context& context, const fs::Location& cwd, StringView path);

} // namespace proc
