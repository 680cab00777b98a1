#pragma once

// Sending and delivering signals (signal(7), kill(2)); the state is in
// SignalState.h, the user-stack frame in SignalFrame.h.
//
// Sending marks the signal pending in the target (under g_table_lock, so a
// sender never allocates or blocks: the terminal's interrupt-time sink may
// send). Delivery happens on the target's way back to ring 3: after a
// system call (x86_syscall_dispatch), after a user fault, and at the exit of
// an interrupt that came from ring 3 (Idt.cpp), so a program that never
// enters the kernel still gets its signals by the next timer tick. The
// lowest pending unblocked signal is taken: a default action terminates
// (the wait status holds the signal, the core bit 0x80 stays clear),
// stops (JobControl.cpp) or is ignored; a handler gets a frame
// (SignalFrame.h) and the action's mask (plus the signal unless
// SA_NODEFER) is added to the blocked set, the disposition reset first with
// SA_RESETHAND.
//
// A sender also wakes the target's thread when the signal is not blocked,
// so that interruptible waits (pipe and terminal reads and writes, wait4)
// end with EINTR. A signal that would be ignored is discarded at once
// unless blocked (Linux's sig_ignored), so SIGCHLD does not interrupt.
// SIGCONT resumes a stopped process when sent.
//
// Restarting (signal(7), "Interruption of system calls"): a system call
// that ended with EINTR is continued as Linux's ERESTARTSYS/ERESTARTNOHAND
// are. Its restart policy (SyscallRestart.h) says whether it runs again
// (the frame is rewound to the SYSCALL instruction with RAX = its number)
// when the signal ran no handler (stopped and continued, or ignored by the
// time it was taken), or ran a handler installed with SA_RESTART. Sleeps
// (nanosleep, clock_nanosleep) fail with EINTR when a handler ran, and
// otherwise go on until their deadline through restart_syscall (Linux's
// ERESTART_RESTARTBLOCK). rt_sigtimedwait always keeps EINTR.
//
// A handler with SA_ONSTACK runs on the alternate stack (sigaltstack) when
// one is set and the interrupted code is not already on it.
#include <kernel/arch/x86_64/InterruptFrame.h>
#include <kernel/lib/Error.h>
#include <kernel/proc/SignalFrame.h>
#include <kernel/proc/SignalState.h>

namespace proc {

class Process;

// kill(pid, signal) from `sender`: pid > 0 one process, 0 the sender's
// group, -1 everyone but pid 1 and the sender, < -1 the group -pid. Signal
// 0 only checks. EINVAL for a bad signal, ESRCH when nobody matched. The
// receiver's siginfo has `code` (SI_USER, or SI_TKILL for tkill/tgkill) and
// the sender's pid and uid.
ErrorOr<void> send_signal(Process& sender, i32 pid, int signal, i32 code = CODE_USER);
// tgkill(group, tid, signal) and tkill (group 0: any): pending in that
// thread only. Signal 0 only checks. EINVAL for a bad signal, ESRCH when no
// such thread is in the group. The siginfo says SI_TKILL and the sender.
ErrorOr<void> send_thread_signal(Process& sender, i32 group, i32 tid, int signal);
// Marks `signal` pending in the process `pid` (if alive). Any context.
ErrorOr<void> send_signal_to_pid(i32 pid, int signal);
// For the terminal's sink (tty::set_signal_sink): to the group. Interrupt
// context: no allocation, no blocking.
void send_signal_to_group(int group, int signal);
// Marks `signal` pending in `process`, under g_table_lock.
void post_signal_locked(Process& process, int signal, const SignalOrigin& origin = {});
// Marks `signal` pending in the calling thread of `process` (or the
// process from elsewhere), as sent by itself (SI_USER, as Linux's SIGPIPE).
void raise_signal(Process& process, int signal);

// The interruption check of sched (set_interruption_check): the current
// process has a pending signal it does not block. Reads only.
bool has_signal_to_take();

// How a system call that failed with EINTR continues once its signal is
// taken (Linux's ERESTARTSYS and ERESTARTNOHAND).
enum class RestartPolicy : u8 {
    Never,                // EINTR stays
    UnlessHandlerRefuses, // again, unless a handler without SA_RESTART ran
    UnlessHandled,        // again, unless any handler ran
    ThroughSleepRestart,  // restart_syscall (SignalState::sleep_restart), unless any handler ran
};

struct SyscallRestart {
    u64 number { 0 };
    RestartPolicy policy { RestartPolicy::Never };
};

// The current call's EINTR is not to be restarted, whatever its policy
// (a socket wait that had a timeout).
void mark_interruption_final();

// Before returning to ring 3 with `frame`: runs the default action of, or
// builds a handler frame for, the first deliverable signal. May not return
// (termination). After a system call, `restart` says whether a result of
// EINTR becomes a restart of the call.
void deliver_signals(x86::InterruptFrame& frame, SyscallRestart restart = {});

// rt_sigtimedwait's dequeue: takes the lowest pending signal of `set`,
// with its origin, and returns true; false when none is pending.
bool take_pending_signal(Process& process, u64 set, SignalInfo& info);

// A fault raised `signal` in user mode: if the process has a handler and
// does not block the signal, the frame goes to it and this returns true;
// otherwise false (the caller terminates the process).
bool deliver_fault_signal(x86::InterruptFrame& frame, int signal, u64 fault_address, bool bus_address_error = false);

// rt_sigaction, on the current process: EINVAL for a bad signal, or for
// changing SIGKILL or SIGSTOP.
ErrorOr<void> change_signal_action(Process& process, int signal, const SignalAction* fresh, SignalAction* old);

} // namespace proc
