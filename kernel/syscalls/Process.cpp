// Process identity and lifetime: exit, exit_group, fork, vfork, execve,
// wait4, getpid, getppid, arch_prctl, sched_yield, getcwd, chdir, fchdir.
// The work is in kernel/proc/Process.cpp; these handlers check and copy the
// arguments. getpid is the thread group id; the thread calls (clone,
// gettid, set_tid_address, futex) are in Threads.cpp. The credentials are
// in Credentials.cpp.
#include <fs/vfs/Vfs.h>
#include <kernel/arch/x86_64/Syscall.h>
#include <kernel/mm/Heap.h>
#include <kernel/proc/Loader.h>
#include <kernel/sched/Scheduler.h>
#include <kernel/syscalls/Handlers.h>
#include <kernel/syscalls/UserPath.h>
#include <kernel/user/InitialStack.h>
#include <kernel/user/UserPtr.h>

namespace syscalls {

namespace {

// arch_prctl codes (arch/x86/include/uapi/asm/prctl.h).
constexpr u64 ARCH_SET_GS = 0x1001;
constexpr u64 ARCH_SET_FS = 0x1002;
constexpr u64 ARCH_GET_FS = 0x1003;
constexpr u64 ARCH_GET_GS = 0x1004;

// wait4 options (include/uapi/linux/wait.h).
constexpr u64 WNOHANG = 1;
constexpr u64 WUNTRACED = 2;
constexpr u64 WCONTINUED = 8;
constexpr u64 WALL = 0x40000000;
constexpr u64 WCLONE = 0x80000000;

// argv and envp for execve: the strings in one kernel buffer of
// INITIAL_STACK_IMAGE_MAX bytes (E2BIG beyond, as the stack image would be),
// the views in an array of at most MAX_ARGUMENTS entries (E2BIG).
class StringVector {
public:
    StringVector() = default;
    StringVector(const StringVector&) = delete;
    StringVector& operator=(const StringVector&) = delete;
    ~StringVector()
    {
        kfree(m_strings);
        kfree(m_views);
    }

    ErrorOr<void> copy(u64 address, usize max_count)
    {
        m_strings = static_cast<char*>(kmalloc(proc::INITIAL_STACK_IMAGE_MAX));
        m_views = static_cast<StringView*>(kmalloc(max_count * sizeof(StringView)));
        if (!m_strings || !m_views)
            return Error::from_errno(ENOMEM);
        if (address == 0)
            return {};
        usize used = 0;
        for (;;) {
            u64 pointer = 0;
            TRY(user::copy_from_user(pointer, user::UserPtr<const u64>(address + m_count * sizeof(u64))));
            if (pointer == 0)
                return {};
            if (m_count == max_count)
                return Error::from_errno(E2BIG);
            auto length = user::strncpy_from_user(
                m_strings + used, user::UserPtr<const char>(pointer), proc::INITIAL_STACK_IMAGE_MAX - used);
            if (length.is_error())
                return Error::from_errno(length.error().code() == ENAMETOOLONG ? E2BIG : length.error().code());
            m_views[m_count++] = StringView(m_strings + used, length.value());
            used += length.value() + 1;
        }
    }

    Span<const StringView> span() const { return { m_views, m_count }; }

private:
    char* m_strings { nullptr };
    StringView* m_views { nullptr };
    usize m_count { 0 };
};

} // namespace

// exit(status): ends the calling thread; the last one ends the process.
SYSCALL_HANDLER(exit)
{
    current_process().exit_thread(static_cast<int>(arguments[0]));
}

// exit_group(status): ends every thread of the process.
SYSCALL_HANDLER(exit_group)
{
    current_process().exit_group(static_cast<int>(arguments[0]));
}

// fork(): the child's pid; EAGAIN when the process table is full, ENOMEM.
SYSCALL_HANDLER(fork)
{
    return static_cast<u64>(TRY(current_process().fork()));
}

// vfork(): a plain fork (the copy is correct, only slower).
SYSCALL_HANDLER(vfork)
{
    return static_cast<u64>(TRY(current_process().fork()));
}

// execve(path, argv, envp): does not return on success. E2BIG for too many
// or too long arguments; EFAULT, ENOENT, ENOTDIR, EACCES, ENOEXEC.
SYSCALL_HANDLER(execve)
{
    UserPath path_buffer;
    StringView path = TRY(path_buffer.copy(arguments[0]));
    StringVector argv;
    TRY(argv.copy(arguments[1], user::MAX_ARGUMENTS));
    StringVector envp;
    TRY(envp.copy(arguments[2], user::MAX_ENVIRONMENT));
    if (argv.span().is_empty()) {
        // Linux runs the program with an empty argv; Osprey's stack builder
        // wants argv[0], so it gets the path, as most shells would give.
        StringView fallback[] = { path };
        TRY(current_process().exec(path, fallback, envp.span()));
        return 0;
    }
    TRY(current_process().exec(path, argv.span(), envp.span()));
    return 0;
}

// wait4(pid, wstatus, options, rusage): the pid reaped, 0 with WNOHANG when
// no child has ended. ECHILD without a matching child; EINVAL for unknown
// options; EFAULT for a bad wstatus (the child is reaped all the same, as
// on Linux). rusage is filled with zeros.
SYSCALL_HANDLER(wait4)
{
    i32 pid = static_cast<i32>(arguments[0]);
    u64 options = arguments[2];
    if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | WALL | WCLONE))
        return Error::from_errno(EINVAL);
    int status = 0;
    i32 reaped
        = TRY(current_process().wait(pid, static_cast<u32>(options & (WNOHANG | WUNTRACED | WCONTINUED)), status));
    if (reaped > 0 && arguments[1])
        TRY(user::copy_to_user(user::UserPtr<int>(arguments[1]), status));
    if (reaped > 0 && arguments[3]) {
        constexpr usize RUSAGE_SIZE = 144; // struct rusage on x86_64
        TRY(user::clear_user(user::UserPtr<void>(arguments[3]), RUSAGE_SIZE));
    }
    return static_cast<u64>(reaped);
}

SYSCALL_HANDLER(getpid)
{
    return static_cast<u64>(current_process().pid());
}

SYSCALL_HANDLER(getppid)
{
    return static_cast<u64>(current_process().parent_pid());
}

// sched_yield(): lets other runnable threads go first.
SYSCALL_HANDLER(sched_yield)
{
    sched::yield();
    return 0;
}

// getcwd(buffer, size): the length written, NUL included. ERANGE when it
// does not fit; EFAULT.
SYSCALL_HANDLER(getcwd)
{
    UserPath cwd_buffer;
    char* cwd = TRY(cwd_buffer.buffer());
    usize length = current_process().copy_cwd_path(cwd);
    if (arguments[1] < length + 1)
        return Error::from_errno(ERANGE);
    TRY(user::copy_to_user(user::UserPtr<void>(arguments[0]), cwd, length));
    TRY(user::clear_user(user::UserPtr<void>(arguments[0] + length), 1));
    return length + 1;
}

// chdir(path): ENOENT, ENOTDIR, EACCES as the path walk says.
SYSCALL_HANDLER(chdir)
{
    UserPath path_buffer;
    StringView path = TRY(path_buffer.copy(arguments[0]));
    proc::Process& process = current_process();
    fs::Location location = TRY(fs::vfs().resolve_directory(process.context(), process.cwd(), path));
    TRY(process.change_cwd(lib::move(location), path));
    return 0;
}

// fchdir(fd): EBADF; ENOTDIR for a descriptor that is not a directory.
SYSCALL_HANDLER(fchdir)
{
    proc::Process& process = current_process();
    auto file = TRY(process.files().get(static_cast<int>(arguments[0])));
    const fs::Location* location = file->location();
    if (!location)
        return Error::from_errno(ENOTDIR);
    fs::Attributes attributes = TRY(file->stat());
    if (attributes.type() != fs::FileType::Directory)
        return Error::from_errno(ENOTDIR);
    // The path of a directory fd is not known; the cwd path keeps the
    // directory's location and an unknown name.
    TRY(process.change_cwd(*location, {}));
    return 0;
}

// arch_prctl(code, address): FS and GS bases, the thread pointers.
// Errors: EINVAL for an unknown code; EPERM for a base outside user space
// (it must at least be canonical for WRMSR); EFAULT for a bad GET pointer.
SYSCALL_HANDLER(arch_prctl)
{
    u64 code = arguments[0];
    u64 address = arguments[1];
    switch (code) {
    case ARCH_SET_FS:
    case ARCH_SET_GS:
        if (address >= mm::USER_END)
            return Error::from_errno(EPERM);
        if (code == ARCH_SET_FS)
            x86::set_user_fs_base(address);
        else
            x86::set_user_gs_base(address);
        return 0;
    case ARCH_GET_FS:
    case ARCH_GET_GS: {
        u64 base = code == ARCH_GET_FS ? x86::user_fs_base() : x86::user_gs_base();
        TRY(user::copy_to_user(user::UserPtr<u64>(address), base));
        return 0;
    }
    default:
        return Error::from_errno(EINVAL);
    }
}

} // namespace syscalls
