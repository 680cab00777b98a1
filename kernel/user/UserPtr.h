#pragma once

// User memory is a type (STYLE rule 12). A UserPtr<T> holds an address in
// the current user address space and cannot be dereferenced: no operator*,
// no operator->, no conversion to T*. Data crosses the boundary only through
// the copy functions below, which
//   - check that the whole range lies below mm::USER_END, with arithmetic
//     that cannot overflow (is_user_range);
//   - copy with the fault-tolerant routines of kernel/arch/x86_64/UserCopy.S:
//     a page fault on a user address inside them resumes at a fixup that
//     reports the bytes not copied, so a bad pointer is EFAULT, never a
//     kernel fault;
//   - open user pages to the kernel only inside those routines when SMAP is
//     on (stac/clac).
// Copy once, then validate the kernel copy: a handler never reads the same
// user bytes twice, so another thread cannot change them between check and use.
#include <kernel/lib/Error.h>
#include <kernel/mm/Layout.h>

namespace user {

// [address, address + size) lies entirely in the user half. An empty range
// passes when its address does.
constexpr bool is_user_range(VirtAddr address, u64 size)
{
    return address <= mm::USER_END && size <= mm::USER_END - address;
}

template<typename T>
class UserPtr {
public:
    constexpr UserPtr() = default;
    constexpr explicit UserPtr(VirtAddr address)
        : m_address(address)
    {
    }
    // Converts where U* converts implicitly to T*: to UserPtr<const T>, to
    // UserPtr<(const) void>.
    template<typename U>
        requires(!lib::IsSame<U, T> && requires(U * from, void (*sink)(T*)) { sink(from); })
    constexpr UserPtr(UserPtr<U> other)
        : m_address(other.address())
    {
    }

    constexpr VirtAddr address() const { return m_address; }
    constexpr bool is_null() const { return m_address == 0; }
    // The address `bytes` further on. Wraps like the integer it is: the copy
    // functions check the result.
    constexpr UserPtr offset(u64 bytes) const { return UserPtr(m_address + bytes); }

private:
    VirtAddr m_address { 0 };
};

ErrorOr<void> copy_from_user(void* destination, UserPtr<const void> source, usize size);
ErrorOr<void> copy_to_user(UserPtr<void> destination, const void* source, usize size);
ErrorOr<void> clear_user(UserPtr<void> destination, usize size);
// Copies a NUL-terminated string, NUL included, into `destination` of
// `capacity` bytes and returns its length. ENAMETOOLONG when no NUL is among
// the first `capacity` bytes; EFAULT for a bad address.
ErrorOr<usize> strncpy_from_user(char* destination, UserPtr<const char> source, usize capacity);

template<typename T>
ErrorOr<void> copy_from_user(T& destination, UserPtr<const T> source)
{
    return copy_from_user(&destination, UserPtr<const void>(source.address()), sizeof(T));
}
template<typename T>
ErrorOr<void> copy_to_user(UserPtr<T> destination, const T& source)
{
    return copy_to_user(UserPtr<void>(destination.address()), &source, sizeof(T));
}

} // namespace user
