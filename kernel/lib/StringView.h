#pragma once

// A non-owning view of characters: pointer plus length, not NUL-terminated.
#include <kernel/lib/Types.h>

namespace lib {

class StringView {
public:
    constexpr StringView() = default;
    constexpr StringView(const char* characters, usize length)
        : m_characters(characters)
        , m_length(length)
    {
    }
    constexpr StringView(const char* c_string)
        : m_characters(c_string)
        , m_length(c_string ? constexpr_strlen(c_string) : 0)
    {
    }

    constexpr const char* characters() const { return m_characters; }
    constexpr usize length() const { return m_length; }
    constexpr bool is_empty() const { return m_length == 0; }
    constexpr char operator[](usize index) const { return m_characters[index]; }
    constexpr const char* begin() const { return m_characters; }
    constexpr const char* end() const { return m_characters + m_length; }

    constexpr StringView substring(usize start, usize length) const
    {
        if (start > m_length)
            return {};
        if (length > m_length - start)
            length = m_length - start;
        return { m_characters + start, length };
    }
    constexpr StringView substring(usize start) const { return substring(start, m_length); }

    constexpr bool starts_with(StringView prefix) const
    {
        return prefix.m_length <= m_length && substring(0, prefix.m_length) == prefix;
    }
    constexpr bool ends_with(StringView suffix) const
    {
        return suffix.m_length <= m_length && substring(m_length - suffix.m_length) == suffix;
    }

    // Index of the first occurrence of `c`, or `npos`.
    constexpr usize find(char c, usize from = 0) const
    {
        for (usize i = from; i < m_length; ++i) {
            if (m_characters[i] == c)
                return i;
        }
        return npos;
    }

    // Index of the first occurrence of `needle` at or after `from`, or npos.
    // An empty needle is found at `from` when from <= length().
    constexpr usize find(StringView needle, usize from = 0) const
    {
        if (needle.m_length > m_length || from > m_length - needle.m_length)
            return npos;
        for (usize i = from; i <= m_length - needle.m_length; ++i) {
            if (substring(i, needle.m_length) == needle)
                return i;
        }
        return npos;
    }

    // Index of the last occurrence of `c`, or npos.
    constexpr usize find_last(char c) const
    {
        for (usize i = m_length; i > 0; --i) {
            if (m_characters[i - 1] == c)
                return i - 1;
        }
        return npos;
    }

    constexpr bool contains(char c) const { return find(c) != npos; }
    constexpr bool contains(StringView needle) const { return find(needle) != npos; }

    constexpr StringView trim_whitespace() const
    {
        usize start = 0;
        usize end = m_length;
        while (start < end && is_space(m_characters[start]))
            ++start;
        while (end > start && is_space(m_characters[end - 1]))
            --end;
        return substring(start, end - start);
    }

    constexpr bool operator==(const StringView& other) const
    {
        if (m_length != other.m_length)
            return false;
        for (usize i = 0; i < m_length; ++i) {
            if (m_characters[i] != other.m_characters[i])
                return false;
        }
        return true;
    }

    // Parses an unsigned decimal, or hexadecimal with a 0x prefix. False on
    // empty input, stray characters or overflow.
    constexpr bool to_u64(u64& out) const
    {
        if (starts_with("0x") || starts_with("0X"))
            return substring(2).to_u64_hex(out);
        if (is_empty())
            return false;
        u64 value = 0;
        for (char c : *this) {
            if (c < '0' || c > '9')
                return false;
            unsigned digit = c - '0';
            if (value > (~u64(0) - digit) / 10)
                return false;
            value = value * 10 + digit;
        }
        out = value;
        return true;
    }

    // Parses bare hexadecimal digits (no prefix, either case). False on empty
    // input, stray characters or more than 64 bits.
    constexpr bool to_u64_hex(u64& out) const
    {
        if (is_empty())
            return false;
        u64 value = 0;
        for (char c : *this) {
            unsigned digit;
            if (c >= '0' && c <= '9')
                digit = c - '0';
            else if (c >= 'a' && c <= 'f')
                digit = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                digit = c - 'A' + 10;
            else
                return false;
            if (value >> 60)
                return false;
            value = value << 4 | digit;
        }
        out = value;
        return true;
    }

    static constexpr usize npos = ~usize(0);

    static constexpr bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

private:
    static constexpr usize constexpr_strlen(const char* s)
    {
        usize n = 0;
        while (s[n])
            ++n;
        return n;
    }

    const char* m_characters { nullptr };
    usize m_length { 0 };
};

} // namespace lib

using lib::StringView;
