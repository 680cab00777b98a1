#pragma once

// Error and ErrorOr<T>: the one error domain is Linux errno (kernel/api/errno.h).
// Functions that can fail return ErrorOr<T>; callers propagate with TRY and
// only boot code, where failure means the machine is unusable, uses MUST.
#include <kernel/api/errno.h>
#include <kernel/lib/Assertions.h>
#include <kernel/lib/Placement.h>
#include <kernel/lib/Types.h>
#include <kernel/lib/Utility.h>

namespace lib {

class [[nodiscard]] Error {
public:
    static constexpr Error from_errno(int code) { return Error(code); }
    constexpr int code() const { return m_code; }
    constexpr bool operator==(const Error&) const = default;

private:
    explicit constexpr Error(int code)
        : m_code(code)
    {
    }
    int m_code;
};

// Short name of an errno value ("ENOMEM"), or "E?" for unknown ones.
const char* errno_name(int code);

template<typename T>
class [[nodiscard]] ErrorOr {
public:
    ErrorOr(const T& value)
        : m_has_value(true)
    {
        new (&m_value) T(value);
    }
    ErrorOr(T&& value)
        : m_has_value(true)
    {
        new (&m_value) T(lib::move(value));
    }
    template<typename U>
    ErrorOr(U&& value) requires(
        !IsSame<typename RemoveReference<U>::Type,
            ErrorOr> && !IsSame<typename RemoveReference<U>::Type, Error> && !IsSame<typename RemoveReference<U>::Type, T>)
        : m_has_value(true)
    {
        new (&m_value) T(lib::forward<U>(value));
    }
    ErrorOr(Error error)
        : m_error(error)
        , m_has_value(false)
    {
    }
    ErrorOr(ErrorOr&& other)
        : m_error(other.m_error)
        , m_has_value(other.m_has_value)
    {
        if (m_has_value)
            new (&m_value) T(lib::move(other.m_value));
    }
    ErrorOr(const ErrorOr&) = delete;
    ErrorOr& operator=(const ErrorOr&) = delete;
    ErrorOr& operator=(ErrorOr&&) = delete;
    ~ErrorOr()
    {
        if (m_has_value)
            m_value.~T();
    }

    bool is_error() const { return !m_has_value; }
    Error error() const { return m_error; }
    Error release_error() { return m_error; }

    // Reading the value of an error is a kernel bug (check is_error() or use TRY).
    T& value()
    {
        LIB_VERIFY(m_has_value);
        return m_value;
    }
    const T& value() const
    {
        LIB_VERIFY(m_has_value);
        return m_value;
    }
    T release_value()
    {
        LIB_VERIFY(m_has_value);
        return lib::move(m_value);
    }
    T value_or(T fallback) const { return m_has_value ? m_value : fallback; }

private:
    union {
        T m_value;
    };
    Error m_error { Error::from_errno(0) };
    bool m_has_value;
};

template<>
class [[nodiscard]] ErrorOr<void> {
public:
    ErrorOr() = default;
    ErrorOr(Error error)
        : m_error(error)
        , m_is_error(true)
    {
    }

    bool is_error() const { return m_is_error; }
    Error error() const { return m_error; }
    Error release_error() { return m_error; }
    void release_value() { }

private:
    Error m_error { Error::from_errno(0) };
    bool m_is_error { false };
};

[[noreturn]] void must_failed(const char* expression, Error error, const char* file, int line);

} // namespace lib

using lib::Error;
using lib::ErrorOr;

// Evaluates an ErrorOr expression; on error returns the error from the
// enclosing function, otherwise yields the value.
#define TRY(expression)                          \
    ({                                           \
        auto&& _try_result = (expression);       \
        if (_try_result.is_error()) [[unlikely]] \
            return _try_result.release_error();  \
        _try_result.release_value();             \
    })

// Like TRY, for boot code where failure leaves nothing to recover: panics.
#define MUST(expression)                                                                       \
    ({                                                                                         \
        auto&& _must_result = (expression);                                                    \
        if (_must_result.is_error()) [[unlikely]]                                              \
            ::lib::must_failed(#expression, _must_result.release_error(), __FILE__, __LINE__); \
        _must_result.release_value();                                                          \
    })
