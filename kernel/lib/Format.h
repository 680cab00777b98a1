#pragma once

// Type-safe formatting for the log, the console and kshell.
//
//   format(sink, "{} frames free, first at {:#x}", count, address);
//
// Placeholders are `{}` or `{:spec}` with spec = [fill][<|>][#][0][width][.precision][type],
// type one of d x X o b c s p. `{{` and `}}` print braces. Arguments are
// captured as FormatArg values, so the formatting code itself is not a template
// and a wrong-typed argument is a compile error, never a misread varargs slot.
// A type of one's own formats through a `format_value(FormatSink&, const T&)`
// found by argument-dependent lookup.
#include <kernel/lib/Error.h>
#include <kernel/lib/Span.h>
#include <kernel/lib/StringView.h>

namespace lib {

class FormatSink {
public:
    virtual void write(StringView text) = 0;

protected:
    ~FormatSink() = default;
};

struct FormatArg {
    enum class Kind : u8 {
        Signed,
        Unsigned,
        Pointer,
        String,
        Char,
        Bool,
        ErrorCode,
        Custom,
    };
    Kind kind;
    union {
        i64 as_signed;
        u64 as_unsigned;
        const void* as_pointer;
        StringView as_string;
        char as_char;
        bool as_bool;
        int as_error;
        struct {
            const void* object;
            void (*print)(FormatSink&, const void*);
        } as_custom;
    };
};

// clang-format off
inline FormatArg make_format_arg(signed char v) { FormatArg a { FormatArg::Kind::Signed, {} }; a.as_signed = v; return a; }
inline FormatArg make_format_arg(short v) { FormatArg a { FormatArg::Kind::Signed, {} }; a.as_signed = v; return a; }
inline FormatArg make_format_arg(int v) { FormatArg a { FormatArg::Kind::Signed, {} }; a.as_signed = v; return a; }
inline FormatArg make_format_arg(long v) { FormatArg a { FormatArg::Kind::Signed, {} }; a.as_signed = v; return a; }
inline FormatArg make_format_arg(long long v) { FormatArg a { FormatArg::Kind::Signed, {} }; a.as_signed = v; return a; }
inline FormatArg make_format_arg(unsigned char v) { FormatArg a { FormatArg::Kind::Unsigned, {} }; a.as_unsigned = v; return a; }
inline FormatArg make_format_arg(unsigned short v) { FormatArg a { FormatArg::Kind::Unsigned, {} }; a.as_unsigned = v; return a; }
inline FormatArg make_format_arg(unsigned int v) { FormatArg a { FormatArg::Kind::Unsigned, {} }; a.as_unsigned = v; return a; }
inline FormatArg make_format_arg(unsigned long v) { FormatArg a { FormatArg::Kind::Unsigned, {} }; a.as_unsigned = v; return a; }
inline FormatArg make_format_arg(unsigned long long v) { FormatArg a { FormatArg::Kind::Unsigned, {} }; a.as_unsigned = v; return a; }
inline FormatArg make_format_arg(char v) { FormatArg a { FormatArg::Kind::Char, {} }; a.as_char = v; return a; }
inline FormatArg make_format_arg(bool v) { FormatArg a { FormatArg::Kind::Bool, {} }; a.as_bool = v; return a; }
inline FormatArg make_format_arg(StringView v) { FormatArg a { FormatArg::Kind::String, {} }; a.as_string = v; return a; }
inline FormatArg make_format_arg(const char* v) { return make_format_arg(StringView(v ? v : "(null)")); }
inline FormatArg make_format_arg(char* v) { return make_format_arg(static_cast<const char*>(v)); }
inline FormatArg make_format_arg(const void* v) { FormatArg a { FormatArg::Kind::Pointer, {} }; a.as_pointer = v; return a; }
inline FormatArg make_format_arg(void* v) { return make_format_arg(static_cast<const void*>(v)); }
inline FormatArg make_format_arg(Error v) { FormatArg a { FormatArg::Kind::ErrorCode, {} }; a.as_error = v.code(); return a; }
// clang-format on

template<typename T>
inline FormatArg make_format_arg(T* v)
{
    return make_format_arg(static_cast<const void*>(v));
}

template<typename T>
    requires requires(FormatSink& sink, const T& value)
    {
        format_value(sink, value);
    }
FormatArg make_format_arg(const T& value)
{
    FormatArg arg { FormatArg::Kind::Custom, {} };
    arg.as_custom.object = &value;
    arg.as_custom.print = [](FormatSink& sink, const void* object) {
        format_value(sink, *static_cast<const T*>(object));
    };
    return arg;
}

void vformat(FormatSink& sink, StringView fmt, Span<const FormatArg> args);

template<typename... Args>
void format(FormatSink& sink, StringView fmt, const Args&... args)
{
    const FormatArg list[] = { make_format_arg(args)..., FormatArg { FormatArg::Kind::Bool, {} } };
    vformat(sink, fmt, Span<const FormatArg>(list, sizeof...(Args)));
}

// Writes into a fixed buffer, truncating, always NUL-terminated when size > 0.
class BufferSink final : public FormatSink {
public:
    BufferSink(char* buffer, usize size)
        : m_buffer(buffer)
        , m_size(size)
    {
        if (m_size)
            m_buffer[0] = '\0';
    }
    void write(StringView text) override;
    usize length() const { return m_length; }
    bool truncated() const { return m_truncated; }
    StringView view() const { return { m_buffer, m_length }; }

private:
    char* m_buffer;
    usize m_size;
    usize m_length { 0 };
    bool m_truncated { false };
};

// snprintf-like: formats into buffer and returns the length written (without NUL).
template<typename... Args>
usize format_to(char* buffer, usize size, StringView fmt, const Args&... args)
{
    BufferSink sink(buffer, size);
    format(sink, fmt, args...);
    return sink.length();
}

} // namespace lib

using lib::format;
using lib::format_to;
using lib::FormatSink;
