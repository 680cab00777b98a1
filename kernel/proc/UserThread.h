#pragma once

// A user thread: one of the threads of a process (clone(2) with
// CLONE_THREAD adds one; the first is made with the process).
//
// Each user thread is a sched::Thread whose entry (Process.cpp, run_user)
// points TSS.RSP0 at the thread's own kernel stack for system calls and
// interrupts, installs the thread as the CPU's user program and the
// process's page tables, and enters ring 3: the first thread at the
// program's entry, a forked or cloned one from a copy of its creator's
// SYSCALL frame (RAX = 0, and for clone the new stack and TLS). exit, a
// fatal signal and exit_group call x86::leave_user with the thread's own
// context, which returns into run_user: the thread's kernel stack is freed
// there, and the last thread to go frees the process's resources.
//
// The tid of the first thread is the pid (the thread group id); other
// threads take ids from the same number space (Process.cpp keeps them
// unique among pids and tids).
//
// Locking: a process's thread list and each thread's tid are guarded by
// g_table_lock (ProcessTable.h). The start state and the context belong to
// the thread itself; clear_child_tid is written only by the thread.
#include <kernel/arch/x86_64/InterruptFrame.h>
#include <kernel/arch/x86_64/Syscall.h>
#include <kernel/arch/x86_64/ThreadContext.h>
#include <kernel/proc/SignalState.h>

namespace sched {
class Thread;
}

namespace proc {

class Process;

class UserThread {
public:
    explicit UserThread(Process& process)
        : m_process(process)
    {
    }

    // The user thread running on this CPU, or null in a kernel thread.
    static UserThread* current() { return static_cast<UserThread*>(x86::current_user_program()); }

    Process& process() const { return m_process; }
    i32 tid() const { return __atomic_load_n(&m_tid, __ATOMIC_ACQUIRE); }
    void set_tid(i32 tid) { __atomic_store_n(&m_tid, tid, __ATOMIC_RELEASE); }
    // The kernel thread (null until it first runs). Under g_table_lock.
    sched::Thread* thread_locked() const { return m_thread; }

    // set_tid_address(2) and CLONE_CHILD_CLEARTID: written with 0 and woken
    // as a futex when the thread ends.
    VirtAddr clear_child_tid() const { return m_clear_child_tid; }
    void set_clear_child_tid(VirtAddr address) { m_clear_child_tid = address; }

    // How the thread enters ring 3 the first time: at `entry` with a fresh
    // state, or (from_frame) from a copy of its creator's SYSCALL frame
    // with the given segment bases and FPU state.
    struct Start {
        bool from_frame { false };
        VirtAddr entry { 0 };
        VirtAddr stack_pointer { 0 };
        x86::InterruptFrame frame {};
        u64 fs_base { 0 };
        u64 gs_base { 0 };
        x86::FpuState fpu {};
        VirtAddr set_child_tid { 0 }; // CLONE_CHILD_SETTID: gets the tid first (0: none)
    };
    Start& start() { return m_start; }

    // The thread's mask, pending signals and per-call signal state.
    ThreadSignalState& signals() { return m_signals; }
    const ThreadSignalState& signals() const { return m_signals; }

    // Where leave_user returns (into run_user) when the thread ends.
    x86::UserContext& context() { return m_context; }
    VirtAddr kernel_stack() const { return m_kernel_stack; }

private:
    friend class Process;

    Process& m_process;
    i32 m_tid { 0 };
    VirtAddr m_kernel_stack { 0 };
    VirtAddr m_clear_child_tid { 0 };
    int m_exit_status { 0 }; // the wait status this thread ended with
    Start m_start {};
    ThreadSignalState m_signals {};
    x86::UserContext m_context {};
    sched::Thread* m_thread { nullptr }; // alive while the thread is on its process's list
};

} // namespace proc
