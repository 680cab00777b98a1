// Processes: the table, spawn, fork, exec, exit and wait; see Process.h.
#include <kernel/api/fcntl.h>
#include <kernel/console/Console.h>
#include <kernel/core/Panic.h>
#include <kernel/lib/Spinlock.h>
#include <kernel/mm/Heap.h>
#include <kernel/mm/MemoryManager.h>
#include <kernel/proc/ControllingTerminal.h>
#include <kernel/proc/CwdPath.h>
#include <kernel/proc/Futex.h>
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
// Woken whenever a thread leaves its process's list (execve waits there for
// the others to go).
[[clang::no_destroy]] constinit sched::WaitQueue g_thread_exits;

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

// Pids and tids share one number space, as on Linux.
bool pid_in_use_locked(i32 pid)
{
    for (Process* process : g_table) {
        if (!process)
            continue;
        if (process->pid() == pid || process->find_thread_locked(pid))
            return true;
    }
    return false;
}

// The next free id after the last one given. Under g_table_lock.
i32 allocate_id_locked()
{
    i32 pid = s_last_pid;
    do
        pid = pid >= PID_MAX ? 2 : pid + 1;
    while (pid_in_use_locked(pid));
    s_last_pid = pid;
    return pid;
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
    UserThread* thread = UserThread::current();
    return thread ? &thread->process() : nullptr;
}

i32 Process::parent_pid() const
{
    SpinlockGuard guard(g_table_lock);
    return m_parent ? m_parent->m_pid : 0;
}

fs::Location Process::cwd() const
{
    SpinlockGuard guard(m_cwd_lock);
    return m_cwd;
}

usize Process::copy_cwd_path(char* out) const
{
    SpinlockGuard guard(m_cwd_lock);
    __builtin_memcpy(out, m_cwd_path, m_cwd_path_length);
    return m_cwd_path_length;
}

ErrorOr<usize> Process::join_cwd_path(StringView path, char* out, usize capacity) const
{
    SpinlockGuard guard(m_cwd_lock);
    return join_path({ m_cwd_path, m_cwd_path_length }, path, out, capacity);
}

ErrorOr<void> Process::change_cwd(fs::Location location, StringView path)
{
    char joined[fs::MAX_PATH_LENGTH];
    SpinlockGuard guard(m_cwd_lock);
    if (!path.is_empty()) {
        usize length = TRY(join_path({ m_cwd_path, m_cwd_path_length }, path, joined, sizeof(joined)));
        __builtin_memcpy(m_cwd_path, joined, length);
        m_cwd_path_length = length;
    }
    // The old cwd is dropped with `location`, after the guard is let go.
    lib::swap(m_cwd, location);
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
    pid_out = allocate_id_locked();
    *free_slot = process;
    return {};
}

UserThread* Process::find_thread_locked(i32 tid) const
{
    for (UserThread* thread : m_threads) {
        if (thread && thread->m_tid == tid)
            return thread;
    }
    return nullptr;
}

ErrorOr<i32> Process::start_thread(OwnPtr<UserThread> thread, i32 tid, VirtAddr parent_tid)
{
    thread->m_kernel_stack = TRY(mm::allocate_kernel_stack(USER_KERNEL_STACK_PAGES));
    UserThread** slot = nullptr;
    {
        SpinlockGuard guard(g_table_lock);
        for (UserThread*& candidate : m_threads) {
            if (!candidate) {
                slot = &candidate;
                break;
            }
        }
        if (slot && !m_group_exit) {
            thread->m_tid = tid ? tid : allocate_id_locked();
            *slot = thread.ptr();
            __atomic_add_fetch(&m_thread_count, 1, __ATOMIC_ACQ_REL);
        } else {
            slot = nullptr;
        }
    }
    if (!slot) {
        VERIFY(!mm::free_kernel_stack(thread->m_kernel_stack).is_error());
        return Error::from_errno(EAGAIN);
    }
    i32 new_tid = thread->m_tid;
    // As Linux, a bad CLONE_PARENT_SETTID address is not an error.
    if (parent_tid)
        (void)user::copy_to_user(user::UserPtr<i32>(parent_tid), new_tid);
    auto created = sched::Thread::create(name(), run_user, thread.ptr());
    if (created.is_error()) {
        {
            SpinlockGuard guard(g_table_lock);
            *slot = nullptr;
            __atomic_sub_fetch(&m_thread_count, 1, __ATOMIC_ACQ_REL);
        }
        VERIFY(!mm::free_kernel_stack(thread->m_kernel_stack).is_error());
        return created.release_error();
    }
    // The thread owns itself from now on (thread_ended frees it).
    (void)thread.leak_ptr();
    return new_tid;
}

ErrorOr<Process*> Process::spawn(const SpawnRequest& request)
{
    TRY(user::init_frame_shares());
    auto process = TRY(lib::try_make<Process>(request.name, request.tracing));
    process->m_memory = TRY(lib::try_make<user::UserMemory>());
    TRY(process->m_memory->create());
    LoadedProgram loaded = TRY(load_program(*process->m_memory, request.image, request.arguments, request.environment));
    process->set_arguments(request.arguments);
    auto first = TRY(lib::try_make<UserThread>(*process));
    first->m_start.entry = loaded.entry;
    first->m_start.stack_pointer = loaded.stack_pointer;
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
    if (auto started = process->start_thread(lib::move(first), process->m_pid); started.is_error()) {
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
    auto* thread = static_cast<UserThread*>(argument);
    Process& process = thread->process();
    {
        SpinlockGuard guard(g_table_lock);
        thread->m_thread = x86::current_thread();
    }
    x86::set_kernel_stack(thread->m_kernel_stack);
    x86::set_current_user_program(thread);
    mm::activate(&process.m_memory->address_space());
    UserThread::Start& start = thread->m_start;
    // As Linux (schedule_tail), a bad CLONE_CHILD_SETTID address is ignored.
    if (start.set_child_tid)
        (void)user::copy_to_user(user::UserPtr<i32>(start.set_child_tid), thread->tid());
    if (start.from_frame) {
        x86::set_user_fs_base(start.fs_base);
        x86::set_user_gs_base(start.gs_base);
        x86::InterruptFrame frame = start.frame;
        x86_enter_user_frame(&thread->m_context, &frame, &start.fpu);
    } else {
        x86::enter_user(thread->m_context, start.entry, start.stack_pointer);
    }
    // Back from leave_user (exit or a fatal fault), on this thread's own
    // stack, with interrupts as they were here and the process's page tables
    // still active. CLONE_CHILD_CLEARTID semantics (set_tid_address(2)): the
    // word is cleared and one futex waiter woken (pthread_join); a failure
    // to write is ignored, as on Linux.
    if (VirtAddr address = thread->m_clear_child_tid) {
        if (!user::clear_user(user::UserPtr<void>(address), sizeof(u32)).is_error())
            futex_wake({ &process.m_memory->address_space(), address }, 1, FUTEX_BITSET_MATCH_ANY);
    }
    mm::activate(nullptr);
    x86::reset_user_segment_bases();
    x86::set_current_user_program(nullptr);
    process.thread_ended(thread);
}

void Process::thread_ended(UserThread* thread)
{
    VERIFY(!mm::free_kernel_stack(thread->m_kernel_stack).is_error());
    bool last = false;
    int status = 0;
    {
        SpinlockGuard guard(g_table_lock);
        for (UserThread*& slot : m_threads) {
            if (slot == thread)
                slot = nullptr;
        }
        last = __atomic_sub_fetch(&m_thread_count, 1, __ATOMIC_ACQ_REL) == 0;
        status = m_group_exit ? m_group_status : thread->m_exit_status;
    }
    delete thread;
    // Unless it was the last thread, the process may be gone from here on.
    g_thread_exits.wake_all();
    if (!last)
        return;
    m_wait_status = status;
    release_resources();
    become_zombie();
}

void Process::release_resources()
{
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
    fs::Location old_cwd;
    {
        SpinlockGuard guard(m_cwd_lock);
        lib::swap(m_cwd, old_cwd);
    }
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
    UserThread* thread = UserThread::current();
    VERIFY(thread && &thread->process() == this);
    thread->m_exit_status = wait_status;
    x86::leave_user(thread->m_context, 0);
}

void Process::end_group_locked(int wait_status)
{
    if (!__atomic_load_n(&m_group_exit, __ATOMIC_ACQUIRE)) {
        m_group_status = wait_status;
        __atomic_store_n(&m_group_exit, true, __ATOMIC_RELEASE);
    }
    wake_stopped_threads_locked();
    UserThread* self = UserThread::current();
    for (UserThread* thread : m_threads) {
        if (thread && thread != self && thread->m_thread)
            sched::interrupt_thread(*thread->m_thread);
    }
}

bool Process::must_leave() const
{
    if (__atomic_load_n(&m_group_exit, __ATOMIC_ACQUIRE))
        return true;
    UserThread* exec_thread = __atomic_load_n(&m_exec_thread, __ATOMIC_ACQUIRE);
    return exec_thread && exec_thread != UserThread::current();
}

void Process::leave_for_group()
{
    // The status is the group's (thread_ended), or unused when execve stays.
    finish(0);
}

void Process::exit_thread(int code)
{
    finish(exited_status(code));
}

void Process::exit_group(int code)
{
    {
        SpinlockGuard guard(g_table_lock);
        end_group_locked(exited_status(code));
    }
    finish(exited_status(code));
}

void Process::terminate(user::Signal signal)
{
    {
        SpinlockGuard guard(g_table_lock);
        end_group_locked(signaled_status(signal));
    }
    finish(signaled_status(signal));
}

bool Process::become_single_threaded()
{
    UserThread* self = UserThread::current();
    {
        SpinlockGuard guard(g_table_lock);
        if (must_leave())
            return false;
        if (m_thread_count == 1)
            return true;
        __atomic_store_n(&m_exec_thread, self, __ATOMIC_RELEASE);
        wake_stopped_threads_locked();
        for (UserThread* thread : m_threads) {
            if (thread && thread != self && thread->m_thread)
                sched::interrupt_thread(*thread->m_thread);
        }
    }
    g_thread_exits.wait_until([&] { return __atomic_load_n(&m_thread_count, __ATOMIC_ACQUIRE) == 1; });
    SpinlockGuard guard(g_table_lock);
    __atomic_store_n(&m_exec_thread, nullptr, __ATOMIC_RELEASE);
    // The thread that called execve becomes the leader: its tid is the pid.
    self->m_tid = m_pid;
    return !m_group_exit;
}

// The start of a thread made by fork or clone: the caller's SYSCALL frame
// with RAX = 0, and the stack, TLS and tid pointers `request` gives.
static void fill_clone_start(UserThread& thread, const CloneRequest& request)
{
    UserThread::Start& start = thread.start();
    start.from_frame = true;
    start.frame = current_syscall_frame();
    start.frame.rax = 0;
    if (request.stack)
        start.frame.rsp = request.stack;
    start.fs_base = request.set_tls ? request.tls : x86::user_fs_base();
    start.gs_base = x86::user_gs_base();
    x86_save_fpu(&start.fpu);
    start.set_child_tid = request.child_tid;
    thread.set_clear_child_tid(request.clear_tid);
    // The creator's mask; a thread sharing the address space starts
    // without an alternate stack (Linux's copy_thread).
    thread.signals().blocked = UserThread::current()->signals().blocked;
}

ErrorOr<i32> Process::clone_thread(const CloneRequest& request)
{
    auto thread = TRY(lib::try_make<UserThread>(*this));
    fill_clone_start(*thread, request);
    return start_thread(lib::move(thread), 0, request.parent_tid);
}

ErrorOr<i32> Process::fork(const CloneRequest& request)
{
    auto child = TRY(lib::try_make<Process>(name(), m_tracing));
    child->m_memory = TRY(lib::try_make<user::UserMemory>());
    TRY(child->m_memory->create());
    TRY(child->m_memory->copy_from(*m_memory));
    child->m_files = TRY(lib::try_make<fs::FileTable>(m_files->limit()));
    TRY(child->m_files->copy_from(*m_files));
    TRY(child->m_handles.inherit_for_fork(m_handles));
    child->m_cwd = cwd();
    child->m_cwd_path_length = copy_cwd_path(child->m_cwd_path);
    __builtin_memcpy(child->m_arguments, m_arguments, m_arguments_length);
    child->m_arguments_length = m_arguments_length;
    child->m_credentials = m_credentials;
    child->m_saved_ids = m_saved_ids;
    child->m_umask = m_umask;
    child->m_signals.copy_actions_from(m_signals);
    auto first = TRY(lib::try_make<UserThread>(*child));
    fill_clone_start(*first, request);
    first->signals().alternate_stack = UserThread::current()->signals().alternate_stack;
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
    if (auto started = child->start_thread(lib::move(first), pid, request.parent_tid); started.is_error()) {
        SpinlockGuard guard(g_table_lock);
        remove_locked(child.ptr());
        return started.release_error();
    }
    (void)child.leak_ptr();
    return pid;
}

ErrorOr<void> Process::exec(StringView path, Span<const StringView> arguments, Span<const StringView> environment)
{
    FileBytes file = TRY(read_executable(context(), cwd(), path));
    auto memory = lib::try_make<user::UserMemory>();
    if (memory.is_error()) {
        kfree(file.data);
        return memory.release_error();
    }
    auto loaded = build_image(*memory.value(), { file.data, file.size }, arguments, environment);
    kfree(file.data);
    TRY(loaded);

    // Linux's de_thread: the other threads end before the old image goes.
    if (!become_single_threaded()) {
        memory.value() = nullptr;
        leave_for_group();
    }

    // The point of no return: the old image goes away.
    StringView new_name = base_name(path);
    m_name_length = min(new_name.length(), PROCESS_NAME_MAX);
    __builtin_memcpy(m_name, new_name.characters(), m_name_length);
    set_arguments(arguments);
    mm::activate(&memory.value()->address_space());
    m_memory = memory.release_value();
    m_files->close_on_exec_sweep();
    m_handles.close_for_exec();
    UserThread::current()->set_clear_child_tid(0);
    m_signals.reset_caught_actions();
    UserThread::current()->signals().alternate_stack = {};
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
