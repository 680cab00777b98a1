// The non-template half of the formatter: parsing specs and printing values.
#include <kernel/lib/Format.h>

namespace lib {

namespace {

struct Spec {
    char fill { ' ' };
    char align { 0 }; // '<', '>' or 0 for the type's default
    bool alternate { false };
    usize width { 0 };
    usize precision { ~usize(0) };
    char type { 0 };
};

bool parse_spec(StringView text, Spec& spec)
{
    usize i = 0;
    if (text.length() >= 2 && (text[1] == '<' || text[1] == '>')) {
        spec.fill = text[0];
        spec.align = text[1];
        i = 2;
    } else if (i < text.length() && (text[i] == '<' || text[i] == '>')) {
        spec.align = text[i++];
    }
    if (i < text.length() && text[i] == '#') {
        spec.alternate = true;
        ++i;
    }
    if (i < text.length() && text[i] == '0' && spec.align == 0) {
        spec.fill = '0';
        spec.align = '=';
        ++i;
    }
    while (i < text.length() && text[i] >= '0' && text[i] <= '9')
        spec.width = spec.width * 10 + (text[i++] - '0');
    if (i < text.length() && text[i] == '.') {
        ++i;
        spec.precision = 0;
        while (i < text.length() && text[i] >= '0' && text[i] <= '9')
            spec.precision = spec.precision * 10 + (text[i++] - '0');
    }
    if (i < text.length())
        spec.type = text[i++];
    return i == text.length();
}

void write_fill(FormatSink& sink, char fill, usize count)
{
    char chunk[16];
    for (auto& c : chunk)
        c = fill;
    while (count) {
        usize n = min(count, sizeof(chunk));
        sink.write({ chunk, n });
        count -= n;
    }
}

// Writes prefix + body padded to the spec's width. Numbers align right by
// default and zero-fill goes between the sign/prefix and the digits.
void write_padded(FormatSink& sink, const Spec& spec, StringView prefix, StringView body, bool numeric)
{
    usize length = prefix.length() + body.length();
    usize pad = spec.width > length ? spec.width - length : 0;
    char align = spec.align ? spec.align : (numeric ? '>' : '<');
    if (align == '=') {
        sink.write(prefix);
        write_fill(sink, spec.fill, pad);
        sink.write(body);
        return;
    }
    if (align == '>')
        write_fill(sink, spec.fill, pad);
    sink.write(prefix);
    sink.write(body);
    if (align == '<')
        write_fill(sink, spec.fill, pad);
}

void write_unsigned(FormatSink& sink, const Spec& spec, u64 value, bool negative)
{
    unsigned base = 10;
    bool upper = false;
    StringView prefix_text;
    switch (spec.type) {
    case 'x':
        base = 16;
        prefix_text = "0x";
        break;
    case 'X':
        base = 16;
        upper = true;
        prefix_text = "0X";
        break;
    case 'o':
        base = 8;
        prefix_text = "0";
        break;
    case 'b':
        base = 2;
        prefix_text = "0b";
        break;
    default:
        break;
    }
    char digits[66];
    usize pos = sizeof(digits);
    const char* alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        digits[--pos] = alphabet[value % base];
        value /= base;
    } while (value);

    char prefix[4];
    usize prefix_length = 0;
    if (negative)
        prefix[prefix_length++] = '-';
    if (spec.alternate) {
        for (char c : prefix_text)
            prefix[prefix_length++] = c;
    }
    write_padded(sink, spec, { prefix, prefix_length }, { digits + pos, sizeof(digits) - pos }, true);
}

void write_arg(FormatSink& sink, Spec spec, const FormatArg& arg)
{
    switch (arg.kind) {
    case FormatArg::Kind::Signed:
        if (spec.type == 'c') {
            char c = static_cast<char>(arg.as_signed);
            write_padded(sink, spec, {}, { &c, 1 }, false);
            return;
        }
        if (arg.as_signed < 0)
            write_unsigned(sink, spec, ~static_cast<u64>(arg.as_signed) + 1, true);
        else
            write_unsigned(sink, spec, static_cast<u64>(arg.as_signed), false);
        return;
    case FormatArg::Kind::Unsigned:
        if (spec.type == 'c') {
            char c = static_cast<char>(arg.as_unsigned);
            write_padded(sink, spec, {}, { &c, 1 }, false);
            return;
        }
        write_unsigned(sink, spec, arg.as_unsigned, false);
        return;
    case FormatArg::Kind::Pointer:
        spec.type = 'x';
        spec.alternate = true;
        if (spec.width == 0) {
            spec.width = 18;
            spec.fill = '0';
            spec.align = '=';
        }
        write_unsigned(sink, spec, reinterpret_cast<uptr>(arg.as_pointer), false);
        return;
    case FormatArg::Kind::String: {
        StringView text = arg.as_string;
        if (spec.precision < text.length())
            text = text.substring(0, spec.precision);
        write_padded(sink, spec, {}, text, false);
        return;
    }
    case FormatArg::Kind::Char:
        if (spec.type == 'd' || spec.type == 'x' || spec.type == 'X') {
            write_unsigned(sink, spec, static_cast<u8>(arg.as_char), false);
            return;
        }
        write_padded(sink, spec, {}, { &arg.as_char, 1 }, false);
        return;
    case FormatArg::Kind::Bool:
        write_padded(sink, spec, {}, arg.as_bool ? "true" : "false", false);
        return;
    case FormatArg::Kind::ErrorCode:
        write_padded(sink, spec, {}, errno_name(arg.as_error), false);
        return;
    case FormatArg::Kind::Custom:
        arg.as_custom.print(sink, arg.as_custom.object);
        return;
    }
}

} // namespace

void vformat(FormatSink& sink, StringView fmt, Span<const FormatArg> args)
{
    usize next_arg = 0;
    usize literal_start = 0;
    usize i = 0;
    auto flush_literal = [&](usize end) {
        if (end > literal_start)
            sink.write(fmt.substring(literal_start, end - literal_start));
    };
    while (i < fmt.length()) {
        char c = fmt[i];
        if (c == '}' && i + 1 < fmt.length() && fmt[i + 1] == '}') {
            flush_literal(i + 1);
            i += 2;
            literal_start = i;
            continue;
        }
        if (c != '{') {
            ++i;
            continue;
        }
        if (i + 1 < fmt.length() && fmt[i + 1] == '{') {
            flush_literal(i + 1);
            i += 2;
            literal_start = i;
            continue;
        }
        usize close = fmt.find('}', i + 1);
        if (close == StringView::npos) {
            ++i;
            continue;
        }
        flush_literal(i);
        StringView inside = fmt.substring(i + 1, close - i - 1);
        Spec spec;
        bool valid = inside.is_empty() || (inside[0] == ':' && parse_spec(inside.substring(1), spec));
        if (!valid) {
            sink.write("{?}");
        } else if (next_arg >= args.size()) {
            sink.write("{missing}");
        } else {
            write_arg(sink, spec, args[next_arg++]);
        }
        i = close + 1;
        literal_start = i;
    }
    flush_literal(fmt.length());
}

void BufferSink::write(StringView text)
{
    for (char c : text) {
        if (m_length + 1 >= m_size) {
            m_truncated = true;
            break;
        }
        m_buffer[m_length++] = c;
    }
    if (m_size)
        m_buffer[m_length] = '\0';
}

} // namespace lib
