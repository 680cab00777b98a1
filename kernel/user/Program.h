#pragma once

// A user program run to completion on the calling kernel thread, the way
// kshell's `run` needs it before processes and the scheduler exist.
//
// Program::run() validates the ELF image (ENOEXEC for anything bad), builds
// a fresh address space (segments, brk heap, stack with the System V initial
// layout, UserLayout.h), gives the program its own kernel stack (TSS.RSP0,
// used by SYSCALL and by interrupts from ring 3) and enters ring 3. It
// returns when the program calls exit/exit_group or faults, after freeing
// everything the program had.
//
// The program identifies itself as pid 1, tid 1, uid/gid 0: it is the only
// one. The running program is found through the per-CPU block
// (current_program()), never through a global.
#include <kernel/arch/x86_64/Syscall.h>
#include <kernel/lib/Span.h>
#include <kernel/lib/StringView.h>
#include <kernel/user/ElfLoader.h>
#include <kernel/user/Signal.h>
#include <kernel/user/UserLayout.h>
#include <kernel/user/UserMemory.h>

namespace user {

inline constexpr usize PROGRAM_KERNEL_STACK_PAGES = 16;
inline constexpr usize PROGRAM_NAME_MAX = 32;
// The initial stack image (strings, vectors) is built in a kernel buffer of
// this size: the limit on argv plus envp (E2BIG beyond).
inline constexpr usize INITIAL_STACK_IMAGE_MAX = 32 * KiB;
static_assert(INITIAL_STACK_IMAGE_MAX <= USER_STACK_MAPPED);

enum class ExitKind : u8 {
    Exited, // exit or exit_group with `code`
    Killed, // ended by `signal`
};

struct ExitStatus {
    ExitKind kind;
    u8 code;
    Signal signal;
};

enum class Tracing : u8 {
    Off,
    On, // the dispatcher prints every system call and its result
};

struct RunRequest {
    StringView name;
    Span<const u8> image;
    Span<const StringView> arguments; // argv, argv[0] included
    Span<const StringView> environment;
    Tracing tracing;
};

class Program {
public:
    static ErrorOr<ExitStatus> run(const RunRequest& request);

    // For run() (through try_make); a Program is only usable from there.
    Program(StringView name, Tracing tracing);

    StringView name() const { return { m_name, m_name_length }; }
    Tracing tracing() const { return m_tracing; }
    UserMemory& memory() { return m_memory; }

    // set_tid_address: where to write 0 when the thread ends.
    void set_clear_child_tid(VirtAddr address) { m_clear_child_tid = address; }

    // End the program; the run() that started it returns.
    [[noreturn]] void exit(int status);
    [[noreturn]] void terminate(Signal signal);

private:
    ErrorOr<VirtAddr> load(const ElfImage& image, Span<const u8> file);
    ErrorOr<VirtAddr> build_stack(const ElfImage& image, const RunRequest& request);
    ExitStatus enter(VirtAddr entry, VirtAddr user_rsp, VirtAddr kernel_stack_top);
    [[noreturn]] void finish(ExitStatus status);

    char m_name[PROGRAM_NAME_MAX];
    usize m_name_length { 0 };
    Tracing m_tracing;
    UserMemory m_memory;
    VirtAddr m_clear_child_tid { 0 };
    x86::UserContext m_context {};
    ExitStatus m_exit_status { ExitKind::Exited, 0, Signal::Kill };
};

// The program running on this CPU, or null.
Program* current_program();

} // namespace user
