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
// Not done: SA_RESTART (an interrupted call always fails with EINTR),
// interrupting nanosleep, sigaltstack.
#include <kernel/arch/x86_64/InterruptFrame.h>
#include <kernel/lib/Error.h>
#include <kernel/proc/SignalState.h>

namespace proc {

class Process;

// kill(pid, signal) from `sender`: pid > 0 one process, 0 the sender's
// group, -1 everyone but pid 1 and the sender, < -1 the group -pid. Signal
// 0 only checks. EINVAL for a bad signal, ESRCH when nobody matched.
ErrorOr<void> send_signal(Process& sender, i32 pid, int signal);
// Marks `signal` pending in the process `pid` (if alive). Any context.
ErrorOr<void> send_signal_to_pid(i32 pid, int signal);
// For the terminal's sink (tty::set_signal_sink): to the group. Interrupt
// context: no allocation, no blocking.
void send_signal_to_group(int group, int signal);
// Marks `signal` pending in `process`, under g_table_lock.
void post_signal_locked(Process& process, int signal);
// Marks `signal` pending in the current process.
void raise_signal(Process& process, int signal);

// The interruption check of sched (set_interruption_check): the current
// process has a pending signal it does not block. Reads only.
bool has_signal_to_take();

// Before returning to ring 3 with `frame`: runs the default action of, or
// builds a handler frame for, the first deliverable signal. May not return
// (termination).
void deliver_signals(x86::InterruptFrame& frame);

// A fault raised `signal` in user mode: if the process has a handler and
// does not block the signal, the frame goes to it and this returns true;
// otherwise false (the caller terminates the process).
bool deliver_fault_signal(x86::InterruptFrame& frame, int signal, u64 fault_address);

// rt_sigaction, on the current process: EINVAL for a bad signal, or for
// changing SIGKILL or SIGSTOP.
ErrorOr<void> change_signal_action(Process& process, int signal, const SignalAction* fresh, SignalAction* old);

} // namespace proc
