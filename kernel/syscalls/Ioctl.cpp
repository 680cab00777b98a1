// ioctl(fd, request, argument): the open file's ioctl (ENOTTY for files
// without one), with the job-control requests on the terminal checked here
// against the caller's session first (kernel/proc/ControllingTerminal.h),
// since the Tty does not know processes:
//   TIOCSCTTY  the caller, a session leader, makes the console its
//              controlling terminal; its group becomes the foreground one;
//   TIOCGPGRP  ENOTTY unless the console is the caller's terminal;
//   TIOCSPGRP  that, and the group must exist in the caller's session.
#include <kernel/proc/ControllingTerminal.h>
#include <kernel/syscalls/Handlers.h>
#include <kernel/tty/Termios.h>
#include <kernel/tty/Tty.h>
#include <kernel/user/UserPtr.h>

namespace syscalls {

namespace {

constexpr u32 TIOCSCTTY = 0x540E; // asm-generic/ioctls.h

} // namespace

SYSCALL_HANDLER(ioctl)
{
    proc::Process& process = current_process();
    auto file = TRY(process.files().get(static_cast<int>(arguments[0])));
    u32 request = static_cast<u32>(arguments[1]);
    u64 argument = arguments[2];
    if (file->kind_name() == StringView("tty")) {
        switch (request) {
        case TIOCSCTTY: {
            i32 group = TRY(proc::acquire_console(process));
            tty::Tty::console().set_foreground_group(group);
            return 0;
        }
        case tty::ioctl::GET_FOREGROUND_GROUP:
            TRY(proc::check_console_owner(process));
            break;
        case tty::ioctl::SET_FOREGROUND_GROUP: {
            int group;
            TRY(user::copy_from_user(group, user::UserPtr<const int>(argument)));
            TRY(proc::check_foreground_group(process, group));
            break;
        }
        default:
            break;
        }
    }
    return static_cast<u64>(TRY(file->ioctl(request, static_cast<uptr>(argument))));
}

} // namespace syscalls
