// Program images into user memory; see Loader.h.
#include <kernel/api/auxv.h>
#include <kernel/mm/Heap.h>
#include <kernel/proc/Loader.h>
#include <kernel/user/ElfLoader.h>
#include <kernel/user/InitialStack.h>
#include <kernel/user/Random.h>
#include <kernel/user/UserLayout.h>

namespace proc {

namespace {

// Linux's USER_HZ: what times() and sysconf(_SC_CLK_TCK) count in.
constexpr u64 CLOCK_TICKS_PER_SECOND = 100;

using user::Protection;
using user::RegionKind;

ErrorOr<VirtAddr> load_segments(user::UserMemory& memory, const user::ElfImage& image, Span<const u8> file)
{
    for (usize i = 0; i < image.segment_count; ++i) {
        const user::ElfSegment& segment = image.segments[i];
        TRY(memory.allocate(
            segment.page_start(), segment.page_end() - segment.page_start(), segment.protection, RegionKind::Image));
        // parse_elf checked that the file bytes are inside the file; the rest
        // of the segment (bss) stays zero.
        TRY(memory.write(segment.start, file.slice(segment.file_offset, segment.file_size)));
    }
    memory.set_heap_start(image.end);
    return image.entry;
}

ErrorOr<VirtAddr> build_stack(user::UserMemory& memory, const user::ElfImage& image, Span<const StringView> arguments,
    Span<const StringView> environment)
{
    using namespace user;
    TRY(memory.allocate(USER_STACK_GUARD_BOTTOM, USER_STACK_GUARD, Protection::None, RegionKind::Guard));
    TRY(memory.allocate(
        USER_STACK_BOTTOM, USER_STACK_RESERVED - USER_STACK_MAPPED, Protection::None, RegionKind::Stack));
    TRY(memory.allocate(USER_STACK_TOP - USER_STACK_MAPPED, USER_STACK_MAPPED, Protection::Read | Protection::Write,
        RegionKind::Stack));

    u8 random[AT_RANDOM_BYTES];
    fill_random(random);
    const AuxEntry auxiliary[] = {
        { AT_PHDR, image.program_headers },
        { AT_PHENT, image.program_header_size },
        { AT_PHNUM, image.program_header_count },
        { AT_PAGESZ, PAGE_SIZE },
        { AT_BASE, 0 }, // no interpreter
        { AT_FLAGS, 0 },
        { AT_ENTRY, image.entry },
        { AT_UID, 0 },
        { AT_EUID, 0 },
        { AT_GID, 0 },
        { AT_EGID, 0 },
        { AT_SECURE, 0 },
        { AT_CLKTCK, CLOCK_TICKS_PER_SECOND },
    };
    InitialStackContents contents { arguments, environment, auxiliary, random };

    u8* buffer = static_cast<u8*>(kmalloc(INITIAL_STACK_IMAGE_MAX));
    if (!buffer)
        return Error::from_errno(ENOMEM);
    auto rsp = build_initial_stack({ buffer, INITIAL_STACK_IMAGE_MAX }, USER_STACK_TOP, contents);
    if (rsp.is_error()) {
        kfree(buffer);
        return rsp.release_error();
    }
    VirtAddr buffer_base = USER_STACK_TOP - INITIAL_STACK_IMAGE_MAX;
    usize offset = rsp.value() - buffer_base;
    auto written = memory.write(rsp.value(), { buffer + offset, INITIAL_STACK_IMAGE_MAX - offset });
    kfree(buffer);
    TRY(written);
    return rsp.value();
}

} // namespace

ErrorOr<LoadedProgram> load_program(
    user::UserMemory& memory, Span<const u8> file, Span<const StringView> arguments, Span<const StringView> environment)
{
    if (arguments.is_empty())
        return Error::from_errno(EINVAL);
    user::ElfImage image = TRY(user::parse_elf(file));
    VirtAddr entry = TRY(load_segments(memory, image, file));
    VirtAddr rsp = TRY(build_stack(memory, image, arguments, environment));
    return LoadedProgram { entry, rsp };
}

ErrorOr<FileBytes> read_executable(const fs::Context& context, const fs::Location& cwd, StringView path)
{
    auto file = TRY(fs::vfs().open(context, cwd, path, fs::open_flag::ReadOnly, 0));
    fs::Attributes attributes = TRY(file->stat());
    if (attributes.type() != fs::FileType::Regular)
        return Error::from_errno(EACCES);
    TRY(fs::vfs().check_access(context, cwd, path, fs::access::Execute));
    if (attributes.size == 0)
        return Error::from_errno(ENOEXEC);
    if (attributes.size > MAX_EXECUTABLE_BYTES)
        return Error::from_errno(E2BIG);
    usize size = attributes.size;
    u8* data = static_cast<u8*>(kmalloc(size));
    if (!data)
        return Error::from_errno(ENOMEM);
    usize done = 0;
    while (done < size) {
        auto count = file->pread(done, { data + done, size - done });
        if (count.is_error()) {
            kfree(data);
            return count.release_error();
        }
        if (count.value() == 0)
            break;
        done += count.value();
    }
    return FileBytes { data, done };
}

} // namespace proc
