#pragma once

// A process (a thread group): pid, parent, address space (user::UserMemory),
// file table, cwd, credentials, signal dispositions, exit status, and one or
// more user threads (UserThread.h), which share all of these.
//
// Threads end one at a time (exit(2)) or all together: exit_group(2), a
// fatal signal and execve from any thread set the group's end (the exit
// status, or for execve the thread that stays) and interrupt the others,
// which leave at their next return towards ring 3 (deliver_signals) or as
// soon as an interruptible wait ends. The last thread to go frees what the
// process owns and makes it a zombie; wait4 sees the group once.
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
// re-check under the lock. The thread list and the group's end are guarded
// by g_table_lock too. The file table, cwd, credentials and dispositions are
// shared by the threads without a lock of their own, as before threads
// (Linux guards them; here concurrent changes from two threads of one
// process may race: docs/architecture.md).
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
#include <kernel/proc/UserThread.h>
#include <kernel/sched/WaitQueue.h>
#include <kernel/user/Signal.h>
#include <kernel/user/UserMemory.h>

namespace sched {
class Thread;
}

namespace proc {

inline constexpr usize MAX_PROCESSES = 256;
inline constexpr usize USER_KERNEL_STACK_PAGES = 16;
inline constexpr usize MAX_THREADS_PER_PROCESS = 64;
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

// clone(2)'s requests besides the kind of child: the child's stack (0: the
// caller's), its TLS (FS base), and where to store the new tid.
struct CloneRequest {
    VirtAddr stack { 0 };
    bool set_tls { false };
    u64 tls { 0 };
    VirtAddr parent_tid { 0 }; // CLONE_PARENT_SETTID: in the caller (0: none)
    VirtAddr child_tid { 0 };  // CLONE_CHILD_SETTID: in the child (0: none)
    VirtAddr clear_tid { 0 };  // CLONE_CHILD_CLEARTID (0: none)
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
    // The cwd and its path are shared by the threads, which may change them
    // at any time: both are read as copies, under m_cwd_lock.
    fs::Location cwd() const;
    // Copies the cwd's path into `out` (fs::MAX_PATH_LENGTH bytes); its length.
    usize copy_cwd_path(char* out) const;
    // `path` joined to the cwd's path (join_path's rules), into `out`.
    ErrorOr<usize> join_cwd_path(StringView path, char* out, usize capacity) const;
    // chdir: `path` as given (relative to the old cwd path); an empty path
    // (fchdir) keeps the text. ENAMETOOLONG.
    ErrorOr<void> change_cwd(fs::Location location, StringView path);

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
    // `request` (clone without CLONE_VM) gives its stack, TLS and tid
    // pointers.
    ErrorOr<i32> fork(const CloneRequest& request = {});
    // clone(CLONE_THREAD...): a new thread of this process, resuming as
    // fork's child does on `request.stack`. Returns its tid; EAGAIN at
    // MAX_THREADS_PER_PROCESS threads or a full id space, ENOMEM.
    ErrorOr<i32> clone_thread(const CloneRequest& request);
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
    // The group stops as a whole (Linux's group stop): the other threads wait
    // here on their way back to ring 3 until SIGCONT or SIGKILL.
    void wait_while_stopped();
    // Wakes those waiters to leave (exit_group, execve). Under g_table_lock.
    void wake_stopped_threads_locked();
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
    usize thread_count_locked() const { return m_thread_count; }
    // Calls visit(thread) for each thread, under g_table_lock.
    template<typename Visit>
    void for_each_thread_locked(Visit visit) const
    {
        for (UserThread* thread : m_threads) {
            if (thread)
                visit(*thread);
        }
    }
    // The thread with `tid` in this process, or null. Under g_table_lock.
    UserThread* find_thread_locked(i32 tid) const;

    // exit(2): ends the calling thread; the process ends with the last.
    [[noreturn]] void exit_thread(int code);
    // exit_group(2): ends every thread, the process's status `code`.
    [[noreturn]] void exit_group(int code);
    // A fatal signal: ends every thread, the status says `signal`.
    [[noreturn]] void terminate(user::Signal signal);
    // Another thread ended the group (or is in execve): the caller goes.
    bool must_leave() const;
    [[noreturn]] void leave_for_group();

    // Process(...) is for the factory functions (through try_make).
    Process(StringView name, Tracing tracing);

private:
    static void run_user(void* argument);
    // Makes `thread` (already filled) a thread of this process with id
    // `tid` (0: a new id) and starts it; returns the id. EAGAIN, ENOMEM.
    // `parent_tid` (CLONE_PARENT_SETTID, 0: none) gets the id before the
    // thread can run.
    ErrorOr<i32> start_thread(OwnPtr<UserThread> thread, i32 tid, VirtAddr parent_tid = 0);
    // The calling thread ends with `wait_status`.
    [[noreturn]] void finish(int wait_status);
    // Sets the group's end (first caller wins) and interrupts the other
    // threads. Under g_table_lock.
    void end_group_locked(int wait_status);
    // execve: the other threads end; returns once the caller is alone
    // (false if the group is ending anyway).
    bool become_single_threaded();
    // run_user after leave_user: the thread goes; the last one ends the process.
    void thread_ended(UserThread* thread);
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
    mutable Spinlock m_cwd_lock;
    fs::Location m_cwd;                           // guarded by m_cwd_lock
    char m_cwd_path[fs::MAX_PATH_LENGTH] { '/' }; // guarded by m_cwd_lock
    usize m_cwd_path_length { 1 };                // guarded by m_cwd_lock
    fs::Credentials m_credentials {};
    SavedIds m_saved_ids {};
    u32 m_umask { 022 };

    SignalState m_signals {};

    // The threads (guarded by g_table_lock). The group's end: m_group_exit
    // (atomic) once exit_group or a fatal signal set m_group_status;
    // m_exec_thread while execve waits for the others to go.
    UserThread* m_threads[MAX_THREADS_PER_PROCESS] {};
    usize m_thread_count { 0 }; // atomic reads
    bool m_group_exit { false };
    int m_group_status { 0 };
    UserThread* m_exec_thread { nullptr };
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
