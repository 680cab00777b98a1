// Loading and running a user program on the calling kernel thread; see
// Program.h. The order in run() matters: everything that can fail happens
// before ring 3 is entered, and everything the program owns is freed after
// enter() returns, on the original kernel stack.
#include <kernel/api/auxv.h>
#include <kernel/arch/x86_64/Gdt.h>
#include <kernel/core/Panic.h>
#include <kernel/lib/OwnPtr.h>
#include <kernel/mm/Heap.h>
#include <kernel/mm/MemoryManager.h>
#include <kernel/user/InitialStack.h>
#include <kernel/user/Program.h>
#include <kernel/user/Random.h>
#include <kernel/user/UserLayout.h>
#include <kernel/user/UserPtr.h>

namespace user {

namespace {

// Linux's USER_HZ: what times() and sysconf(_SC_CLK_TCK) count in.
constexpr u64 CLOCK_TICKS_PER_SECOND = 100;

class KernelBuffer {
public:
    explicit KernelBuffer(usize size)
        : m_data(static_cast<u8*>(kmalloc(size)))
        , m_size(m_data ? size : 0)
    {
    }
    KernelBuffer(const KernelBuffer&) = delete;
    KernelBuffer& operator=(const KernelBuffer&) = delete;
    ~KernelBuffer() { kfree(m_data); }

    bool is_null() const { return !m_data; }
    Span<u8> span() { return { m_data, m_size }; }

private:
    u8* m_data;
    usize m_size;
};

} // namespace

Program::Program(StringView name, Tracing tracing)
    : m_tracing(tracing)
{
    m_name_length = min(name.length(), PROGRAM_NAME_MAX);
    __builtin_memcpy(m_name, name.characters(), m_name_length);
}

Program* current_program()
{
    return static_cast<Program*>(x86::current_user_program());
}

ErrorOr<ExitStatus> Program::run(const RunRequest& request)
{
    if (request.arguments.is_empty())
        return Error::from_errno(EINVAL);
    ElfImage image = TRY(parse_elf(request.image));
    auto program = TRY(lib::try_make<Program>(request.name, request.tracing));
    TRY(program->m_memory.create());
    VirtAddr entry = TRY(program->load(image, request.image));
    VirtAddr user_rsp = TRY(program->build_stack(image, request));
    VirtAddr kernel_stack_top = TRY(mm::allocate_kernel_stack(PROGRAM_KERNEL_STACK_PAGES));
    ExitStatus status = program->enter(entry, user_rsp, kernel_stack_top);
    VERIFY(!mm::free_kernel_stack(kernel_stack_top).is_error());
    return status;
}

ErrorOr<VirtAddr> Program::load(const ElfImage& image, Span<const u8> file)
{
    for (usize i = 0; i < image.segment_count; ++i) {
        const ElfSegment& segment = image.segments[i];
        TRY(m_memory.allocate(
            segment.page_start(), segment.page_end() - segment.page_start(), segment.protection, RegionKind::Image));
        // parse_elf checked that the file bytes are inside the file; the rest
        // of the segment (bss) stays zero.
        TRY(m_memory.write(segment.start, file.slice(segment.file_offset, segment.file_size)));
    }
    m_memory.set_heap_start(image.end);
    return image.entry;
}

ErrorOr<VirtAddr> Program::build_stack(const ElfImage& image, const RunRequest& request)
{
    TRY(m_memory.allocate(USER_STACK_GUARD_BOTTOM, USER_STACK_GUARD, Protection::None, RegionKind::Guard));
    TRY(m_memory.allocate(
        USER_STACK_BOTTOM, USER_STACK_RESERVED - USER_STACK_MAPPED, Protection::None, RegionKind::Stack));
    TRY(m_memory.allocate(USER_STACK_TOP - USER_STACK_MAPPED, USER_STACK_MAPPED, Protection::Read | Protection::Write,
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
    InitialStackContents contents { request.arguments, request.environment, auxiliary, random };

    KernelBuffer buffer(INITIAL_STACK_IMAGE_MAX);
    if (buffer.is_null())
        return Error::from_errno(ENOMEM);
    VirtAddr rsp = TRY(build_initial_stack(buffer.span(), USER_STACK_TOP, contents));
    VirtAddr buffer_base = USER_STACK_TOP - INITIAL_STACK_IMAGE_MAX;
    TRY(m_memory.write(rsp, buffer.span().slice(rsp - buffer_base)));
    return rsp;
}

ExitStatus Program::enter(VirtAddr entry, VirtAddr user_rsp, VirtAddr kernel_stack_top)
{
    VirtAddr previous_kernel_stack = x86::kernel_stack();
    x86::set_kernel_stack(kernel_stack_top);
    x86::set_current_user_program(this);
    mm::activate(&m_memory.address_space());

    x86::enter_user(m_context, entry, user_rsp);

    mm::activate(nullptr);
    x86::reset_user_segment_bases();
    x86::set_current_user_program(nullptr);
    x86::set_kernel_stack(previous_kernel_stack);
    return m_exit_status;
}

void Program::finish(ExitStatus status)
{
    m_exit_status = status;
    // CLONE_CHILD_CLEARTID semantics (set_tid_address(2)): a failure to write
    // is ignored, as on Linux.
    if (m_clear_child_tid)
        (void)clear_user(UserPtr<void>(m_clear_child_tid), sizeof(u32));
    x86::leave_user(m_context, 0);
}

void Program::exit(int status)
{
    finish({ ExitKind::Exited, static_cast<u8>(status & 0xff), Signal::Kill });
}

void Program::terminate(Signal signal)
{
    finish({ ExitKind::Killed, 0, signal });
}

} // namespace user
