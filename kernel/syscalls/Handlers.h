#pragma once

// The handler of every system call in the table, one declaration per entry
// of OSPREY_ENUMERATE_SYSCALLS. A family file defines its handlers with
// SYSCALL_HANDLER(name), so each definition matches the declaration here.
#include <kernel/api/syscalls.h>
#include <kernel/core/Panic.h>
#include <kernel/syscalls/Dispatcher.h>
#include <kernel/user/Program.h>

namespace syscalls {

// The program making the call. A system call comes from user mode, and user
// mode runs only with a program set (Program::enter).
inline user::Program& current_program()
{
    user::Program* program = user::current_program();
    VERIFY(program);
    return *program;
}

#define OSPREY_DECLARE_SYSCALL_HANDLER(name, number) ErrorOr<u64> sys_##name(const Arguments& arguments);
OSPREY_ENUMERATE_SYSCALLS(OSPREY_DECLARE_SYSCALL_HANDLER)
#undef OSPREY_DECLARE_SYSCALL_HANDLER

} // namespace syscalls

// Used inside namespace syscalls.
#define SYSCALL_HANDLER(name) ErrorOr<u64> sys_##name(const Arguments& arguments)
