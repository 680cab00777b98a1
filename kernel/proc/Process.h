#pragma once

// A process: pid, parent, address space (user::UserMemory), file table, cwd,
// credentials, exit status, and one user thread.
//
// The thread: a sched::Thread whose entry (Process.cpp, run_user) switches
// the CPU to the process (TSS.RSP0 = the process's own user kernel stack,
// the per-CPU program pointer, the page tables) and enters ring 3 with
// x86::enter_user, or, for a forked child, with x86_enter_user_frame from
// the parent's saved SYSCALL frame. The scheduler keeps that per-CPU user
// state per thread (ThreadContext). exit/exit_group and fatal faults call
// x86::leave_user, which returns into run_user on the thread's own stack:
// everything the process owns is freed there, then it becomes a zombie and
// the thread ends.
//
// Lifetime: a zombie is freed by whoever reaps it: its parent (wait4), the
// kernel waiter that spawned it (kshell `exec`, wait_for), or the process
// itself at exit when it has neither (orphans when no init runs). Orphans go
// to pid 1 while pid 1 lives.
//
// Process groups and sessions (POSIX XBD 3.296, 3.343; Linux kernel/sys.c):
// m_pgid and m_sid, inherited by fork; Groups.cpp has the rules of setpgid,
// setsid and the controlling terminal. Processes the kernel spawns lead a
// session and group of their own.
//
// Locking: g_table_lock (ProcessTable.h, a spinlock) guards the table, every
// m_parent, m_state, m_pgid, m_sid and the exit status. Exits bump the parent's
// m_child_events and wake the one global child-exit wait queue; waiters
// re-check under the lock. Everything else belongs to the process's single
// thread.
#include <fs/procfs/Provider.h>
#include <fs/vfs/FileTable.h>
#include <fs/vfs/Vfs.h>
#include <ipc/ProcessHandles.h>
#include <kernel/arch/x86_64/InterruptFrame.h>
#include <kernel/arch/x86_64/Syscall.h>
#include <kernel/arch/x86_64/ThreadContext.h>
#include <kernel/lib/OwnPtr.h>
#include <kernel/lib/RefPtr.h>
#include <kernel/proc/SignalState.h>
#include <kernel/user/Signal.h>
#include <kernel/user/UserMemory.h>

namespace sched {
class Thread;
}

namespace proc {

inline constexpr usize MAX_PROCESSES = 256;
inline constexpr usize USER_KERNEL_STACK_PAGES = 16;
inline constexpr usize PROCESS_NAME_MAX = 32;
inline constexpr i32 INIT_PID = 1;

enum class ProcessState : u8 {
    Running,
    Zombie,
};

enum class Reaper : u8 {
    Parent, // the parent's wait4 (or pid 1 after reparenting)
    Kernel, // wait_for() from the kernel code that spawned it
};

enum class Tracing : u8 {
    Off,
    On, // the dispatcher prints every system call and its result
};

struct SpawnRequest {
    StringView name;
    Span<const u8> image;
    Span<const StringView> arguments; // argv, argv[0] included
    Span<const StringView> environment;
    Tracing tracing;
};

class Process {
public:
    // A new process running `request.image`, with /dev/console on fds 0-2 and
    // the root as cwd, reaped by wait_for(). ENOEXEC for a bad image, EAGAIN
    // when the table is full, ENOMEM.
    static ErrorOr<Process*> spawn(const SpawnRequest& request);
    // Blocks until `process` (from spawn) ends; frees it; returns its wait
    // status (Linux encoding).
    static int wait_for(Process* process);

    static Process* current();

    ~Process();

    i32 pid() const { return m_pid; }
    i32 parent_pid() const;
    StringView name() const { return { m_name, m_name_length }; }
    Tracing tracing() const { return m_tracing; }
    user::UserMemory& memory() { return *m_memory; }
    fs::FileTable& files() { return *m_files; }
    // The capability (handle) table and its fork/execve/exit rules (ipc/ProcessHandles.h).
    ipc::ProcessHandles& handles() { return m_handles; }
    fs::Context context() const;
    const fs::Location& cwd() const { return m_cwd; }
    StringView cwd_path() const { return { m_cwd_path, m_cwd_path_length }; }
    // chdir: `path` as given (relative to the old cwd path); an empty path
    // (fchdir) keeps the text. ENAMETOOLONG.
    ErrorOr<void> change_cwd(fs::Location location, StringView path);

    void set_clear_child_tid(VirtAddr address) { m_clear_child_tid = address; }

    // For /proc (ProcfsSource.cpp): calls visit(process) for every process
    // in the table, in slot order, holding the table lock (so the visitor must
    // not allocate, block or free). Under the lock m_files is either a live
    // table or null.
    static void visit_locked(void (*visit)(Process& process, void* context), void* context);
    bool is_zombie_locked() const { return m_state == ProcessState::Zombie; }
    i32 parent_pid_locked() const { return m_parent ? m_parent->m_pid : 0; }
    StringView arguments() const { return { m_arguments, m_arguments_length }; }
    const fs::Credentials& credentials() const { return m_credentials; }
    // Identity (kernel/syscalls/Credentials.cpp has the setuid rules):
    // m_credentials holds the effective ids, which the VFS checks; the real
    // and saved ids sit beside them. The umask applies to created files.
    fs::Credentials& credentials() { return m_credentials; }
    struct SavedIds {
        u32 real_uid { 0 };
        u32 saved_uid { 0 };
        u32 real_gid { 0 };
        u32 saved_gid { 0 };
    };
    SavedIds& saved_ids() { return m_saved_ids; }
    u32 umask() const { return m_umask; }
    void set_umask(u32 mask) { m_umask = mask & 0777; }
    fs::FileTable* files_locked() const { return m_files.ptr(); }

    // fork(): a copy of this process whose thread resumes from the SYSCALL
    // frame of the current system call with RAX = 0. Returns the child pid.
    ErrorOr<i32> fork();
    // execve(): replaces the image; on success the current system call
    // returns into the new program's entry.
    ErrorOr<void> exec(StringView path, Span<const StringView> arguments, Span<const StringView> environment);
    // wait4(): the Linux semantics for pid > 0, -1 (any child), 0 (the
    // caller's process group) and < -1 (the group -pid). Returns the
    // pid reaped (0 with WNOHANG when none is ready), status in `status`.
    // `options`: WAIT_NO_HANG, WAIT_UNTRACED (report stopped children),
    // WAIT_CONTINUED (report continued ones). EINTR for a signal.
    ErrorOr<i32> wait(i32 pid, u32 options, int& status);

    // Job control (JobControl.cpp). The default action of a stop signal:
    // the process stops (its parent is told: SIGCHLD, wait4 WUNTRACED) and
    // this returns once SIGCONT or SIGKILL arrives.
    void stop_for_signal(int signal);
    // A SIGCONT or SIGKILL was sent: a stopped process resumes (SIGCONT
    // tells the parent: WCONTINUED). Under g_table_lock.
    void continue_locked(bool report);
    bool is_stopped_locked() const { return m_stopped; }

    // Process groups and sessions (Groups.cpp).
    i32 process_group() const;
    i32 session() const;
    bool is_zombie() const { return __atomic_load_n(&m_zombie, __ATOMIC_ACQUIRE); }
    i32 process_group_locked() const { return m_pgid; }
    i32 session_locked() const { return m_sid; }
    // setpgid(pid, pgid) by this process: pid 0 = the caller, pgid 0 = pid.
    // EINVAL for pgid < 0; ESRCH unless the target is the caller or its
    // child; EPERM for a session leader, a child in another session, or a
    // group that does not exist in the caller's session.
    ErrorOr<void> set_process_group(i32 pid, i32 pgid);
    // setsid(): the new session id (= pid); EPERM for a group leader.
    ErrorOr<i32> create_session();
    // getpgid/getsid(pid), pid 0 = the caller: ESRCH.
    ErrorOr<i32> process_group_of(i32 pid) const;
    ErrorOr<i32> session_of(i32 pid) const;

    // Dispositions, blocked mask, pending set (Signals.h). fork copies the
    // dispositions and mask; execve resets handled signals to the default.
    SignalState& signals() { return m_signals; }
    // The process's thread (null before it starts), for interrupting its waits.
    sched::Thread* thread() const { return m_thread.ptr(); }

    [[noreturn]] void exit(int code);
    [[noreturn]] void terminate(user::Signal signal);

    // Process(...) is for the factory functions (through try_make).
    Process(StringView name, Tracing tracing);

private:
    static void run_user(void* argument);
    ErrorOr<void> start_thread();
    [[noreturn]] void finish(int wait_status);
    void release_resources();
    void become_zombie();
    // The SIGCHLD siginfo of this process's end (CLD_EXITED or CLD_KILLED).
    SignalOrigin child_exit_origin() const;
    // Keeps argv (NUL-terminated strings, truncated to fit) for /proc/<pid>/cmdline.
    void set_arguments(Span<const StringView> arguments);

    i32 m_pid { 0 };
    Process* m_parent { nullptr }; // guarded by g_table_lock
    i32 m_pgid { 0 };              // guarded by g_table_lock
    i32 m_sid { 0 };               // guarded by g_table_lock
    bool m_stopped { false };      // guarded by g_table_lock
    bool m_stop_unreported { false };
    bool m_continue_unreported { false };
    u8 m_stop_signal { 0 };
    Reaper m_reaper { Reaper::Parent };
    ProcessState m_state { ProcessState::Running }; // guarded by g_table_lock
    bool m_zombie { false };                        // m_state == Zombie, readable without the lock (atomic)
    int m_wait_status { 0 };
    u64 m_child_events { 0 }; // atomic; bumped when a child becomes a zombie

    char m_name[PROCESS_NAME_MAX];
    usize m_name_length { 0 };
    char m_arguments[fs::procfs::ARGUMENTS_MAX_LENGTH];
    usize m_arguments_length { 0 };
    Tracing m_tracing;
    OwnPtr<user::UserMemory> m_memory;
    OwnPtr<fs::FileTable> m_files;
    ipc::ProcessHandles m_handles;
    fs::Location m_cwd;
    char m_cwd_path[fs::MAX_PATH_LENGTH] { '/' };
    usize m_cwd_path_length { 1 };
    fs::Credentials m_credentials {};
    SavedIds m_saved_ids {};
    u32 m_umask { 022 };
    VirtAddr m_clear_child_tid { 0 };

    // How the thread enters ring 3 the first time.
    VirtAddr m_user_kernel_stack { 0 };
    VirtAddr m_entry { 0 };
    VirtAddr m_user_stack_pointer { 0 };
    bool m_forked { false };
    x86::InterruptFrame m_fork_frame {};
    u64 m_fs_base { 0 };
    u64 m_gs_base { 0 };
    x86::UserContext m_context {};
    x86::FpuState m_fpu {};
    SignalState m_signals {};
    RefPtr<sched::Thread> m_thread;
};

// Linux wait status encodings (wait(2), bits/waitstatus.h).
constexpr int exited_status(int code)
{
    return (code & 0xff) << 8;
}
constexpr int signaled_status(user::Signal signal)
{
    return static_cast<int>(signal);
}
constexpr int stopped_status(int signal)
{
    return (signal << 8) | 0x7f;
}
inline constexpr int CONTINUED_STATUS = 0xffff;

// wait4 options (include/uapi/linux/wait.h).
inline constexpr u32 WAIT_NO_HANG = 1;
inline constexpr u32 WAIT_UNTRACED = 2;
inline constexpr u32 WAIT_CONTINUED = 8;

// The number of processes alive or zombie (for kshell and tests).
usize process_count();

} // namespace proc
