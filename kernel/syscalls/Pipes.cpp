// pipe and pipe2: a new pipe (fs::create_pipe, fs/pipe/PipeEnd.h) whose
// two ends go into the lowest free fds of the calling process, read end
// first, as Linux's do_pipe2 (fs/pipe.c) does.
//
// pipe2 flags: O_CLOEXEC (the fd flag of both fds) and O_NONBLOCK (the
// status flag of both descriptions); anything else is EINVAL. When the
// second fd cannot be allocated the first is closed again (EMFILE), and
// when the user array cannot be written both are (EFAULT), so a failed call
// leaves the table as it was.
#include <fs/pipe/PipeEnd.h>
#include <kernel/api/fcntl.h>
#include <kernel/syscalls/Handlers.h>
#include <kernel/user/UserPtr.h>

namespace syscalls {

namespace {

ErrorOr<u64> make_pipe(u64 user_fds, u64 flags)
{
    if (flags & ~static_cast<u64>(O_CLOEXEC | O_NONBLOCK))
        return Error::from_errno(EINVAL);
    fs::PipeEnds ends = TRY(fs::create_pipe(static_cast<u32>(flags)));
    fs::FileTable& files = current_process().files();
    auto close_on_exec = (flags & O_CLOEXEC) ? fs::CloseOnExec::Yes : fs::CloseOnExec::No;
    int read_fd = TRY(files.allocate(ends.read_end, close_on_exec));
    auto write_fd = files.allocate(ends.write_end, close_on_exec);
    if (write_fd.is_error()) {
        (void)files.close(read_fd);
        return write_fd.release_error();
    }
    int fds[2] = { read_fd, write_fd.value() };
    if (auto copied = user::copy_to_user(user::UserPtr<void>(user_fds), fds, sizeof(fds)); copied.is_error()) {
        (void)files.close(read_fd);
        (void)files.close(fds[1]);
        return copied.release_error();
    }
    return 0;
}

} // namespace

// pipe(fds): EFAULT, EMFILE, ENOMEM.
SYSCALL_HANDLER(pipe)
{
    return make_pipe(arguments[0], 0);
}

// pipe2(fds, flags): as pipe, plus EINVAL for unknown flags.
SYSCALL_HANDLER(pipe2)
{
    return make_pipe(arguments[0], arguments[1]);
}

} // namespace syscalls
