// Process identity and lifetime: exit, exit_group, getpid, gettid, the
// credentials, set_tid_address, arch_prctl and sched_yield.
//
// Until processes exist, the one running program is pid 1 with a single
// thread, tid 1, running as root (uid = gid = 0, real and effective).
#include <kernel/arch/x86_64/Syscall.h>
#include <kernel/syscalls/Handlers.h>
#include <kernel/user/UserPtr.h>

namespace syscalls {

namespace {

constexpr u64 PROGRAM_PID = 1;
constexpr u64 PROGRAM_TID = 1;
constexpr u64 ROOT_ID = 0;

// arch_prctl codes (arch/x86/include/uapi/asm/prctl.h).
constexpr u64 ARCH_SET_GS = 0x1001;
constexpr u64 ARCH_SET_FS = 0x1002;
constexpr u64 ARCH_GET_FS = 0x1003;
constexpr u64 ARCH_GET_GS = 0x1004;

} // namespace

// exit(status): ends the calling thread; with one thread, the program.
SYSCALL_HANDLER(exit)
{
    current_program().exit(static_cast<int>(arguments[0]));
}

// exit_group(status): ends every thread of the program.
SYSCALL_HANDLER(exit_group)
{
    current_program().exit(static_cast<int>(arguments[0]));
}

SYSCALL_HANDLER(getpid)
{
    return PROGRAM_PID;
}

SYSCALL_HANDLER(gettid)
{
    return PROGRAM_TID;
}

SYSCALL_HANDLER(getuid)
{
    return ROOT_ID;
}

SYSCALL_HANDLER(geteuid)
{
    return ROOT_ID;
}

SYSCALL_HANDLER(getgid)
{
    return ROOT_ID;
}

SYSCALL_HANDLER(getegid)
{
    return ROOT_ID;
}

// set_tid_address(tidptr): remembered, written with 0 when the thread ends.
// Returns the caller's tid. Never fails.
SYSCALL_HANDLER(set_tid_address)
{
    current_program().set_clear_child_tid(arguments[0]);
    return PROGRAM_TID;
}

// sched_yield(): with no other thread to run, returns at once.
SYSCALL_HANDLER(sched_yield)
{
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
