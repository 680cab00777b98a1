#pragma once

// A non-owning, bounds-known view of contiguous objects.
#include <kernel/lib/Types.h>

namespace lib {

template<typename T>
class Span {
public:
    constexpr Span() = default;
    constexpr Span(T* data, usize size)
        : m_data(data)
        , m_size(size)
    {
    }
    // A Span<U> converts to a Span<const U>.
    template<typename U>
        requires(__is_same(T, const U))
    constexpr Span(Span<U> other)
        : m_data(other.data())
        , m_size(other.size())
    {
    }
    template<usize N>
    constexpr Span(T (&array)[N])
        : m_data(array)
        , m_size(N)
    {
    }

    constexpr T* data() const { return m_data; }
    constexpr usize size() const { return m_size; }
    constexpr bool is_empty() const { return m_size == 0; }
    constexpr T& operator[](usize index) const { return m_data[index]; }
    constexpr T* begin() const { return m_data; }
    constexpr T* end() const { return m_data + m_size; }

    constexpr Span slice(usize start, usize count) const
    {
        if (start > m_size)
            return {};
        if (count > m_size - start)
            count = m_size - start;
        return { m_data + start, count };
    }
    constexpr Span slice(usize start) const { return slice(start, m_size); }

private:
    T* m_data { nullptr };
    usize m_size { 0 };
};

using Bytes = Span<u8>;
using ReadonlyBytes = Span<const u8>;

} // namespace lib

using lib::Bytes;
using lib::ReadonlyBytes;
using lib::Span;
