#pragma once

// The few <utility>/<type_traits> pieces the kernel needs, without the host
// standard library. They live in namespace lib so that host tests, which also
// see std::, never hit ambiguous overloads.
namespace lib {

template<typename T>
struct RemoveReference {
    using Type = T;
};
template<typename T>
struct RemoveReference<T&> {
    using Type = T;
};
template<typename T>
struct RemoveReference<T&&> {
    using Type = T;
};

template<typename T>
constexpr typename RemoveReference<T>::Type&& move(T&& value) noexcept
{
    return static_cast<typename RemoveReference<T>::Type&&>(value);
}

template<typename T>
constexpr T&& forward(typename RemoveReference<T>::Type& value) noexcept
{
    return static_cast<T&&>(value);
}

template<typename T>
constexpr T&& forward(typename RemoveReference<T>::Type&& value) noexcept
{
    return static_cast<T&&>(value);
}

template<typename T>
constexpr void swap(T& a, T& b) noexcept
{
    T tmp = lib::move(a);
    a = lib::move(b);
    b = lib::move(tmp);
}

template<typename T, typename U = T>
constexpr T exchange(T& slot, U&& value)
{
    T old = lib::move(slot);
    slot = lib::forward<U>(value);
    return old;
}

template<typename T, typename U>
inline constexpr bool IsSame = false;
template<typename T>
inline constexpr bool IsSame<T, T> = true;

} // namespace lib
