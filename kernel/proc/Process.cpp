// Processes: the table, spawn, fork, exec, exit and wait; see Process.h.
#include <kernel/api/fcntl.h>
#include <kernel/console/Console.h>
#include <kernel/core/Panic.h>
#include <kernel/lib/Spinlock.h>
#include <kernel/mm/Heap.h>
#include <kernel/mm/MemoryManager.h>
#include <kernel/proc/ControllingTerminal.h>
#include <kernel/proc/CwdPath.h>
#include <kernel/proc/Loader.h>
#include <kernel/proc/Process.h>
#include <kernel/proc/ProcessTable.h>
#include <kernel/proc/Signals.h>
#include <kernel/sched/Thread.h>
#include <kernel/sched/WaitQueue.h>
#include <kernel/tty/LineDiscipline.h>
#include <kernel/user/CopyOnWrite.h>
#include <kernel/user/UserPtr.h>

extern "C" u64 x86_enter_user_frame(
    x86::UserContext* context, const x86::InterruptFrame* frame, const x86::FpuState* fpu);
extern "C" void x86_save_fpu(x86::FpuState* state);

namespace proc {

constinit Spinlock g_table_lock;
constinit Process* g_table[MAX_PROCESSES] {};
[[clang::no_destroy]] constinit sched::WaitQueue g_child_events;

Process* find_locked(i32 pid)
{
    for (Process* process : g_table) {
        if (process && process->pid() == pid)
            return process;
    }
    return nullptr;
}

namespace {

constexpr i32 PID_MAX = 32768;             // Linux's default /proc/sys/kernel/pid_max
constexpr u64 USER_INITIAL_RFLAGS = 0x202; // IF, and the always-one bit 1

constinit i32 s_last_pid = 0; // guarded by g_table_lock

bool pid_in_use_locked(i32 pid)
{
    for (Process* process : g_table) {
        if (process && process->pid() == pid)
            return true;
    }
    return false;
}

void remove_locked(Process* process)
{
    for (Process*& slot : g_table) {
        if (slot == process)
            slot = nullptr;
    }
}

// The SYSCALL frame of the system call running now: SyscallEntry.S builds it
// at the very top of the process's kernel stack (TSS.RSP0).
x86::InterruptFrame& current_syscall_frame()
{
    return *reinterpret_cast<x86::InterruptFrame*>(x86::kernel_stack() - sizeof(x86::InterruptFrame));
}

StringView base_name(StringView path)
{
    usize start = 0;
    for (usize i = 0; i < path.length(); ++i) {
        if (path[i] == '/' && i + 1 < path.length())
            start = i + 1;
    }
    return path.substring(start);
}

ErrorOr<LoadedProgram> build_image(
    user::UserMemory& memory, Span<const u8> file, Span<const StringView> arguments, Span<const StringView> environment)
{
    TRY(memory.create());
    return load_program(memory, file, arguments, environment);
}

// wait4's pid argument (wait(2)): > 0 that pid, -1 any child, 0 the
// caller's process group, < -1 the group -pid. Under g_table_lock.
bool wait_selects(const Process& child, i32 pid, i32 caller_group)
{
    if (pid > 0)
        return child.pid() == pid;
    if (pid == -1)
        return true;
    return child.process_group_locked() == (pid == 0 ? caller_group : -pid);
}

} // namespace

usize process_count()
{
    SpinlockGuard guard(g_table_lock);
    usize count = 0;
    for (Process* process : g_table)
        count += process != nullptr;
    return count;
}

void Process::visit_locked(void (*visit)(Process& process, void* context), void* context)
{
    SpinlockGuard guard(g_table_lock);
    for (Process* process : g_table) {
        if (process)
            visit(*process, context);
    }
}

void Process::set_arguments(Span<const StringView> arguments)
{
    m_arguments_length = 0;
    for (const StringView& argument : arguments) {
        if (m_arguments_length + argument.length() + 1 > sizeof(m_arguments))
            break;
        __builtin_memcpy(m_arguments + m_arguments_length, argument.characters(), argument.length());
        m_arguments_length += argument.length();
        m_arguments[m_arguments_length++] = '\0';
    }
}

Process::Process(StringView name, Tracing tracing)
    : m_tracing(tracing)
{
    m_name_length = min(name.length(), PROCESS_NAME_MAX);
    __builtin_memcpy(m_name, name.characters(), m_name_length);
}

Process::~Process() = default;

Process* Process::current()
{
    return static_cast<Process*>(x86::current_user_program());
}

i32 Process::parent_pid() const
{
    SpinlockGuard guard(g_table_lock);
    return m_parent ? m_parent->m_pid : 0;
}

ErrorOr<void> Process::change_cwd(fs::Location location, StringView path)
{
    if (!path.is_empty()) {
        char joined[fs::MAX_PATH_LENGTH];
        usize length = TRY(join_path(cwd_path(), path, joined, sizeof(joined)));
        __builtin_memcpy(m_cwd_path, joined, length);
        m_cwd_path_length = length;
    }
    m_cwd = lib::move(location);
    return {};
}

fs::Context Process::context() const
{
    return { fs::vfs().root(), m_credentials };
}

// Gives the process a pid and a table slot: EAGAIN when the table is full.
static ErrorOr<void> register_process(Process* process, i32& pid_out)
{
    SpinlockGuard guard(g_table_lock);
    Process** free_slot = nullptr;
    for (Process*& slot : g_table) {
        if (!slot) {
            free_slot = &slot;
            break;
        }
    }
    if (!free_slot)
        return Error::from_errno(EAGAIN);
    i32 pid = s_last_pid;
    do
        pid = pid >= PID_MAX ? 2 : pid + 1;
    while (pid_in_use_locked(pid));
    s_last_pid = pid;
    pid_out = pid;
    *free_slot = process;
    return {};
}

ErrorOr<void> Process::start_thread()
{
    m_user_kernel_stack = TRY(mm::allocate_kernel_stack(USER_KERNEL_STACK_PAGES));
    auto thread = sched::Thread::create(name(), run_user, this);
    if (thread.is_error()) {
        VERIFY(!mm::free_kernel_stack(m_user_kernel_stack).is_error());
        m_user_kernel_stack = 0;
        return thread.release_error();
    }
    m_thread = thread.release_value();
    return {};
}

ErrorOr<Process*> Process::spawn(const SpawnRequest& request)
{
    TRY(user::init_frame_shares());
    auto process = TRY(lib::try_make<Process>(request.name, request.tracing));
    process->m_memory = TRY(lib::try_make<user::UserMemory>());
    TRY(process->m_memory->create());
    LoadedProgram loaded = TRY(load_program(*process->m_memory, request.image, request.arguments, request.environment));
    process->set_arguments(request.arguments);
    process->m_entry = loaded.entry;
    process->m_user_stack_pointer = loaded.stack_pointer;
    process->m_files = TRY(lib::try_make<fs::FileTable>());
    // fds 0-2: the console terminal (kernel/tty), as init expects it.
    auto console = TRY(fs::vfs().open(process->context(), fs::vfs().root(), "/dev/console", O_RDWR, 0));
    for (int fd = 0; fd < 3; ++fd)
        TRY(process->m_files->allocate(console, fs::CloseOnExec::No));
    process->m_cwd = fs::vfs().root();
    tty::set_signal_sink(send_signal_to_group);
    tty::set_access_check(check_terminal_access);
    sched::set_interruption_check(has_signal_to_take);
    process->m_reaper = Reaper::Kernel;
    TRY(register_process(process.ptr(), process->m_pid));
    process->m_pgid = process->m_pid;
    process->m_sid = process->m_pid;
    if (auto started = process->start_thread(); started.is_error()) {
        SpinlockGuard guard(g_table_lock);
        remove_locked(process.ptr());
        return started.release_error();
    }
    return process.leak_ptr();
}

int Process::wait_for(Process* process)
{
    g_child_events.wait_until([&] { return __atomic_load_n(&process->m_zombie, __ATOMIC_ACQUIRE); });
    {
        SpinlockGuard guard(g_table_lock);
        remove_locked(process);
    }
    int status = process->m_wait_status;
    delete process;
    return status;
}

void Process::run_user(void* argument)
{
    auto* process = static_cast<Process*>(argument);
    x86::set_kernel_stack(process->m_user_kernel_stack);
    x86::set_current_user_program(process);
    mm::activate(&process->m_memory->address_space());
    if (process->m_forked) {
        x86::set_user_fs_base(process->m_fs_base);
        x86::set_user_gs_base(process->m_gs_base);
        x86::InterruptFrame frame = process->m_fork_frame;
        x86_enter_user_frame(&process->m_context, &frame, &process->m_fpu);
    } else {
        x86::enter_user(process->m_context, process->m_entry, process->m_user_stack_pointer);
    }
    // Back from leave_user (exit or a fatal fault), on this thread's own stack.
    mm::activate(nullptr);
    x86::reset_user_segment_bases();
    x86::set_current_user_program(nullptr);
    process->release_resources();
    process->become_zombie();
}

void Process::release_resources()
{
    VERIFY(!mm::free_kernel_stack(m_user_kernel_stack).is_error());
    m_user_kernel_stack = 0;
    m_memory = nullptr;
    // /proc reads m_files under the table lock (file_of): detach it there.
    OwnPtr<fs::FileTable> files;
    {
        SpinlockGuard guard(g_table_lock);
        files = lib::move(m_files);
    }
    if (files)
        files->close_all();
    files = nullptr;
    m_handles.close_for_exit(m_pid);
    m_cwd = {};
}

void Process::become_zombie()
{
    Process* orphan_zombies[MAX_PROCESSES];
    usize orphan_count = 0;
    bool free_self = false;
    release_controlling_terminal(*this);
    {
        SpinlockGuard guard(g_table_lock);
        signal_orphaned_groups_locked(*this);
        Process* init = find_locked(INIT_PID);
        if (init == this || (init && init->m_state == ProcessState::Zombie))
            init = nullptr;
        for (Process*& slot : g_table) {
            Process* child = slot;
            if (!child || child->m_parent != this)
                continue;
            child->m_parent = init;
            if (init) {
                if (child->m_state == ProcessState::Zombie)
                    __atomic_add_fetch(&init->m_child_events, 1, __ATOMIC_RELEASE);
            } else if (child->m_state == ProcessState::Zombie) {
                orphan_zombies[orphan_count++] = child;
                slot = nullptr;
            }
        }
        if (m_parent) {
            __atomic_add_fetch(&m_parent->m_child_events, 1, __ATOMIC_RELEASE);
            if (!m_parent->is_zombie())
                post_signal_locked(*m_parent, SIGNAL_CHILD, child_exit_origin());
        } else if (m_reaper == Reaper::Parent) {
            free_self = true;
            remove_locked(this);
        }
        m_state = ProcessState::Zombie;
        __atomic_store_n(&m_zombie, true, __ATOMIC_RELEASE);
    }
    g_child_events.wake_all();
    for (usize i = 0; i < orphan_count; ++i)
        delete orphan_zombies[i];
    if (free_self)
        delete this;
}

SignalOrigin Process::child_exit_origin() const
{
    bool exited = (m_wait_status & 0x7f) == 0;
    return { exited ? CODE_CHILD_EXITED : CODE_CHILD_KILLED, m_pid, m_credentials.uid,
        exited ? (m_wait_status >> 8) & 0xff : m_wait_status & 0x7f };
}

void Process::finish(int wait_status)
{
    m_wait_status = wait_status;
    // CLONE_CHILD_CLEARTID semantics (set_tid_address(2)): a failure to write
    // is ignored, as on Linux.
    if (m_clear_child_tid)
        (void)user::clear_user(user::UserPtr<void>(m_clear_child_tid), sizeof(u32));
    x86::leave_user(m_context, 0);
}

void Process::exit(int code)
{
    finish(exited_status(code));
}

void Process::terminate(user::Signal signal)
{
    finish(signaled_status(signal));
}

ErrorOr<i32> Process::fork()
{
    auto child = TRY(lib::try_make<Process>(name(), m_tracing));
    child->m_memory = TRY(lib::try_make<user::UserMemory>());
    TRY(child->m_memory->create());
    TRY(child->m_memory->copy_from(*m_memory));
    child->m_files = TRY(lib::try_make<fs::FileTable>(m_files->limit()));
    TRY(child->m_files->copy_from(*m_files));
    TRY(child->m_handles.inherit_for_fork(m_handles));
    child->m_cwd = m_cwd;
    __builtin_memcpy(child->m_cwd_path, m_cwd_path, m_cwd_path_length);
    child->m_cwd_path_length = m_cwd_path_length;
    __builtin_memcpy(child->m_arguments, m_arguments, m_arguments_length);
    child->m_arguments_length = m_arguments_length;
    child->m_credentials = m_credentials;
    child->m_saved_ids = m_saved_ids;
    child->m_umask = m_umask;
    child->m_forked = true;
    __builtin_memcpy(child->m_signals.actions, m_signals.actions, sizeof(m_signals.actions));
    child->m_signals.blocked = m_signals.blocked;
    child->m_signals.alternate_stack = m_signals.alternate_stack;
    child->m_fork_frame = current_syscall_frame();
    child->m_fork_frame.rax = 0;
    child->m_fs_base = x86::user_fs_base();
    child->m_gs_base = x86::user_gs_base();
    x86_save_fpu(&child->m_fpu);
    child->m_reaper = Reaper::Parent;
    child->m_parent = this;
    {
        SpinlockGuard guard(g_table_lock);
        child->m_pgid = m_pgid;
        child->m_sid = m_sid;
    }
    i32 pid = 0;
    TRY(register_process(child.ptr(), pid));
    child->m_pid = pid;
    if (auto started = child->start_thread(); started.is_error()) {
        SpinlockGuard guard(g_table_lock);
        remove_locked(child.ptr());
        return started.release_error();
    }
    (void)child.leak_ptr();
    return pid;
}

ErrorOr<void> Process::exec(StringView path, Span<const StringView> arguments, Span<const StringView> environment)
{
    FileBytes file = TRY(read_executable(context(), m_cwd, path));
    auto memory = lib::try_make<user::UserMemory>();
    if (memory.is_error()) {
        kfree(file.data);
        return memory.release_error();
    }
    auto loaded = build_image(*memory.value(), { file.data, file.size }, arguments, environment);
    kfree(file.data);
    TRY(loaded);

    // The point of no return: the old image goes away.
    StringView new_name = base_name(path);
    m_name_length = min(new_name.length(), PROCESS_NAME_MAX);
    __builtin_memcpy(m_name, new_name.characters(), m_name_length);
    set_arguments(arguments);
    mm::activate(&memory.value()->address_space());
    m_memory = memory.release_value();
    m_files->close_on_exec_sweep();
    m_handles.close_for_exec();
    m_clear_child_tid = 0;
    for (SignalAction& action : m_signals.actions) {
        if (action.handler != SIGNAL_IGNORE)
            action = {};
    }
    m_signals.alternate_stack = {};
    x86::reset_user_segment_bases();

    x86::InterruptFrame& frame = current_syscall_frame();
    u64 cs = frame.cs;
    u64 ss = frame.ss;
    __builtin_memset(&frame, 0, sizeof(frame));
    frame.rip = loaded.value().entry;
    frame.rsp = loaded.value().stack_pointer;
    frame.cs = cs;
    frame.ss = ss;
    frame.rflags = USER_INITIAL_RFLAGS;
    return {};
}

ErrorOr<i32> Process::wait(i32 pid, u32 options, int& status)
{
    for (;;) {
        Process* reaped = nullptr;
        bool any_child = false;
        u64 seen = 0;
        {
            SpinlockGuard guard(g_table_lock);
            seen = __atomic_load_n(&m_child_events, __ATOMIC_ACQUIRE);
            for (Process*& slot : g_table) {
                Process* child = slot;
                if (!child || child->m_parent != this || !wait_selects(*child, pid, m_pgid))
                    continue;
                any_child = true;
                if ((options & WAIT_UNTRACED) && child->m_stop_unreported) {
                    child->m_stop_unreported = false;
                    status = stopped_status(child->m_stop_signal);
                    return child->m_pid;
                }
                if ((options & WAIT_CONTINUED) && child->m_continue_unreported) {
                    child->m_continue_unreported = false;
                    status = CONTINUED_STATUS;
                    return child->m_pid;
                }
                if (child->m_state == ProcessState::Zombie) {
                    reaped = child;
                    slot = nullptr;
                    break;
                }
            }
        }
        if (reaped) {
            status = reaped->m_wait_status;
            i32 reaped_pid = reaped->m_pid;
            delete reaped;
            return reaped_pid;
        }
        if (!any_child)
            return Error::from_errno(ECHILD);
        if (options & WAIT_NO_HANG)
            return 0;
        TRY(g_child_events.wait_until_interruptible(
            [&] { return __atomic_load_n(&m_child_events, __ATOMIC_ACQUIRE) != seen; }));
    }
}

} // namespace proc
