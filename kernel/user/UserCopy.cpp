// The copy functions of UserPtr.h over the fault-tolerant routines of
// kernel/arch/x86_64/UserCopy.S. Each checks the user range first; the
// routines only ever see ranges below USER_END.
#include <kernel/user/UserPtr.h>

extern "C" {
u64 x86_user_copy(void* destination, const void* source, u64 size);
u64 x86_user_clear(void* destination, u64 size);
i64 x86_user_strncpy(char* destination, const char* source, u64 capacity);
}

namespace user {

namespace {

// The routines take plain pointers; these are the only conversions of user
// addresses to pointers in the kernel.
const void* as_source(VirtAddr address)
{
    return reinterpret_cast<const void*>(address);
}
void* as_destination(VirtAddr address)
{
    return reinterpret_cast<void*>(address);
}

} // namespace

ErrorOr<void> copy_from_user(void* destination, UserPtr<const void> source, usize size)
{
    if (!is_user_range(source.address(), size))
        return Error::from_errno(EFAULT);
    if (size > 0 && x86_user_copy(destination, as_source(source.address()), size) != 0)
        return Error::from_errno(EFAULT);
    return {};
}

ErrorOr<void> copy_to_user(UserPtr<void> destination, const void* source, usize size)
{
    if (!is_user_range(destination.address(), size))
        return Error::from_errno(EFAULT);
    if (size > 0 && x86_user_copy(as_destination(destination.address()), source, size) != 0)
        return Error::from_errno(EFAULT);
    return {};
}

ErrorOr<void> clear_user(UserPtr<void> destination, usize size)
{
    if (!is_user_range(destination.address(), size))
        return Error::from_errno(EFAULT);
    if (size > 0 && x86_user_clear(as_destination(destination.address()), size) != 0)
        return Error::from_errno(EFAULT);
    return {};
}

ErrorOr<usize> strncpy_from_user(char* destination, UserPtr<const char> source, usize capacity)
{
    if (capacity == 0)
        return Error::from_errno(ENAMETOOLONG);
    // The string may end anywhere before the end of user space.
    usize reach = min<u64>(capacity, source.address() <= mm::USER_END ? mm::USER_END - source.address() : 0);
    if (reach == 0)
        return Error::from_errno(EFAULT);
    i64 length = x86_user_strncpy(destination, static_cast<const char*>(as_source(source.address())), reach);
    if (length < 0)
        return Error::from_errno(EFAULT);
    if (static_cast<usize>(length) == reach)
        return Error::from_errno(reach == capacity ? ENAMETOOLONG : EFAULT);
    return static_cast<usize>(length);
}

} // namespace user
