// System information and randomness: uname and getrandom.
#include <kernel/syscalls/Handlers.h>
#include <kernel/user/Random.h>
#include <kernel/user/UserPtr.h>

namespace syscalls {

namespace {

// struct new_utsname (include/uapi/linux/utsname.h): six 65-byte fields.
constexpr usize UTS_FIELD = 65;
struct Utsname {
    char sysname[UTS_FIELD];
    char nodename[UTS_FIELD];
    char release[UTS_FIELD];
    char version[UTS_FIELD];
    char machine[UTS_FIELD];
    char domainname[UTS_FIELD];
};
static_assert(sizeof(Utsname) == 390);

void set_field(char (&field)[UTS_FIELD], StringView value)
{
    usize length = min(value.length(), UTS_FIELD - 1);
    __builtin_memcpy(field, value.characters(), length);
    field[length] = 0;
}

// getrandom flags (include/uapi/linux/random.h).
constexpr u64 GRND_NONBLOCK = 1;
constexpr u64 GRND_RANDOM = 2;
constexpr u64 GRND_INSECURE = 4;
// Linux returns at most this much per call (drivers/char/random.c).
constexpr u64 GETRANDOM_MAX = 0x1ffffff;
constexpr usize RANDOM_CHUNK = 256;

} // namespace

// uname(buffer). Errors: EFAULT for a bad buffer.
SYSCALL_HANDLER(uname)
{
    Utsname name {};
    set_field(name.sysname, "Osprey");
    set_field(name.nodename, "osprey");
    set_field(name.release, "0.1.0");
    set_field(name.version, "#1");
    set_field(name.machine, "x86_64");
    set_field(name.domainname, "(none)");
    TRY(user::copy_to_user(user::UserPtr<Utsname>(arguments[0]), name));
    return 0;
}

// getrandom(buffer, count, flags): fills the buffer (see kernel/user/
// Random.h for the source), never blocks. Returns the bytes written.
// Errors: EINVAL for unknown flags or GRND_RANDOM with GRND_INSECURE; EFAULT
// for a bad buffer (a fault after some bytes returns the count so far).
SYSCALL_HANDLER(getrandom)
{
    user::UserPtr<u8> buffer(arguments[0]);
    u64 count = min(arguments[1], GETRANDOM_MAX);
    u64 flags = arguments[2];
    if ((flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) != 0
        || (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE))
        return Error::from_errno(EINVAL);
    if (!user::is_user_range(buffer.address(), count))
        return Error::from_errno(EFAULT);
    u64 done = 0;
    while (done < count) {
        u8 chunk[RANDOM_CHUNK];
        usize size = min<u64>(RANDOM_CHUNK, count - done);
        user::fill_random({ chunk, size });
        if (auto copied = user::copy_to_user(buffer.offset(done), chunk, size); copied.is_error()) {
            if (done > 0)
                break;
            return copied.release_error();
        }
        done += size;
    }
    return done;
}

} // namespace syscalls
