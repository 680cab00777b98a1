// Input and output. Until file descriptors exist, descriptors 1 and 2
// (standard output and error) are the kernel console; every other one is
// EBADF.
#include <kernel/console/Console.h>
#include <kernel/syscalls/Handlers.h>
#include <kernel/user/UserPtr.h>

namespace syscalls {

namespace {

constexpr u64 STDOUT = 1;
constexpr u64 STDERR = 2;
// Linux caps one read or write at MAX_RW_COUNT (INT_MAX rounded down to a page).
constexpr u64 MAX_RW_COUNT = 0x7ffff000;
constexpr usize WRITE_CHUNK = 256;

} // namespace

// write(fd, buffer, count): returns the bytes written. Errors: EBADF for a
// descriptor other than 1 and 2; EFAULT when the buffer is not user memory
// or its first chunk cannot be read (a fault later returns the count so far,
// as Linux does).
SYSCALL_HANDLER(write)
{
    u32 fd = static_cast<u32>(arguments[0]);
    user::UserPtr<const char> buffer(arguments[1]);
    u64 count = min(arguments[2], MAX_RW_COUNT);
    if (fd != STDOUT && fd != STDERR)
        return Error::from_errno(EBADF);
    if (!user::is_user_range(buffer.address(), count))
        return Error::from_errno(EFAULT);
    u64 written = 0;
    while (written < count) {
        char chunk[WRITE_CHUNK];
        usize size = min<u64>(WRITE_CHUNK, count - written);
        if (auto copied = user::copy_from_user(chunk, buffer.offset(written), size); copied.is_error()) {
            if (written > 0)
                break;
            return copied.release_error();
        }
        console::write({ chunk, size });
        written += size;
    }
    return written;
}

} // namespace syscalls
