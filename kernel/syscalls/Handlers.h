#pragma once

// The handler of every system call in the table, one declaration per entry
// of OSPREY_ENUMERATE_SYSCALLS. A family file defines its handlers with
// SYSCALL_HANDLER(name), so each definition matches the declaration here.
#include <kernel/api/ipc.h>
#include <kernel/api/syscalls.h>
#include <kernel/core/Panic.h>
#include <kernel/proc/Process.h>
#include <kernel/syscalls/Dispatcher.h>

namespace syscalls {

// The process making the call. A system call comes from user mode, and user
// mode runs only with a process set (Process::run_user).
inline proc::Process& current_process()
{
    proc::Process* process = proc::Process::current();
    VERIFY(process);
    return *process;
}

#define OSPREY_DECLARE_SYSCALL_HANDLER(name, number) ErrorOr<u64> sys_##name(const Arguments& arguments);
OSPREY_ENUMERATE_SYSCALLS(OSPREY_DECLARE_SYSCALL_HANDLER)
OSPREY_ENUMERATE_IPC_SYSCALLS(OSPREY_DECLARE_SYSCALL_HANDLER)
#undef OSPREY_DECLARE_SYSCALL_HANDLER

} // namespace syscalls

// Used inside namespace syscalls.
#define SYSCALL_HANDLER(name) ErrorOr<u64> sys_##name(const Arguments& arguments)
