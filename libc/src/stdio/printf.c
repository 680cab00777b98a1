// The printf engine: parsing of conversion specifications, integers, strings,
// characters and pointers. Floating-point conversions live in printf_float.c.
//
// Behaviour follows C17 7.21.6.1 and, where the standard leaves room, glibc,
// byte for byte (tests/libc/printf_table.c compares the two):
//   - a precision on an integer conversion cancels the '0' flag; %.0d of 0
//     prints no digits, %#.0o of 0 prints "0";
//   - %p prints "(nil)" for NULL, otherwise it is %#lx that keeps '+' and ' ';
//   - %s of NULL prints "(null)" unless a precision below 6 is given, then "";
//   - %% ignores flags and width; an unknown conversion is printed as written;
//     an incomplete specification at the end of the format fails with EINVAL;
//   - %m prints strerror(errno) (a GNU extension);
//   - %lc and %ls accept ASCII only (the "C" locale), else fail with EILSEQ.
// Not supported: %a/%A, positional arguments (%1$d). %Lf is converted through
// double.

#include "format.h"
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

void __format_emit(FormatSink* sink, const char* bytes, size_t length)
{
    if (length == 0)
        return;
    sink->count += length;
    sink->write(sink, bytes, length);
}

void __format_pad(FormatSink* sink, char byte, int count)
{
    char chunk[32];
    memset(chunk, byte, sizeof(chunk));
    while (count > 0) {
        int piece = count < (int)sizeof(chunk) ? count : (int)sizeof(chunk);
        __format_emit(sink, chunk, (size_t)piece);
        count -= piece;
    }
}

enum Length {
    LengthNone,
    LengthChar,
    LengthShort,
    LengthLong,
    LengthLongLong,
    LengthSize,
    LengthMax,
    LengthPtrdiff,
    LengthLongDouble
};

// Writes the digits of value in base (8, 10 or 16) at the end of buffer and
// returns where they start.
static char* digits_of(uintmax_t value, unsigned base, int uppercase, char* end)
{
    const char* digit_set = uppercase ? "0123456789ABCDEF" : "0123456789abcdef";
    char* cursor = end;
    while (value) {
        *--cursor = digit_set[value % base];
        value /= base;
    }
    return cursor;
}

static void format_integer(FormatSink* sink, const FormatSpec* spec, uintmax_t magnitude, int negative, int is_signed)
{
    unsigned base = 10;
    if (spec->conversion == 'o')
        base = 8;
    else if (spec->conversion == 'x' || spec->conversion == 'X' || spec->conversion == 'p')
        base = 16;

    char buffer[32];
    char* end = buffer + sizeof(buffer);
    char* digits = digits_of(magnitude, base, spec->conversion == 'X', end);
    int digit_count = (int)(end - digits);

    int minimum_digits = spec->precision >= 0 ? spec->precision : 1;
    if (spec->alternate && base == 8 && minimum_digits <= digit_count)
        minimum_digits = digit_count + 1; // a leading 0 marks octal
    int zeros = minimum_digits > digit_count ? minimum_digits - digit_count : 0;

    char prefix[2];
    int prefix_length = 0;
    if (negative)
        prefix[prefix_length++] = '-';
    else if (is_signed && spec->plus)
        prefix[prefix_length++] = '+';
    else if (is_signed && spec->space)
        prefix[prefix_length++] = ' ';
    const char* hex_prefix = "";
    if (spec->alternate && base == 16 && magnitude != 0)
        hex_prefix = spec->conversion == 'X' ? "0X" : "0x";
    int hex_prefix_length = (int)strlen(hex_prefix);

    int length = prefix_length + hex_prefix_length + zeros + digit_count;
    int padding = spec->width > length ? spec->width - length : 0;
    if (spec->zero && !spec->left && spec->precision < 0) {
        zeros += padding;
        padding = 0;
    }
    if (!spec->left)
        __format_pad(sink, ' ', padding);
    __format_emit(sink, prefix, (size_t)prefix_length);
    __format_emit(sink, hex_prefix, (size_t)hex_prefix_length);
    __format_pad(sink, '0', zeros);
    __format_emit(sink, digits, (size_t)digit_count);
    if (spec->left)
        __format_pad(sink, ' ', padding);
}

// Strings and characters: padded with spaces only, even with the '0' flag.
static void format_bytes(FormatSink* sink, const FormatSpec* spec, const char* bytes, size_t length)
{
    int padding = spec->width > (int)length ? spec->width - (int)length : 0;
    if (!spec->left)
        __format_pad(sink, ' ', padding);
    __format_emit(sink, bytes, length);
    if (spec->left)
        __format_pad(sink, ' ', padding);
}

static void format_string(FormatSink* sink, const FormatSpec* spec, const char* string)
{
    if (!string)
        string = spec->precision < 0 || spec->precision >= 6 ? "(null)" : "";
    size_t length = spec->precision >= 0 ? strnlen(string, (size_t)spec->precision) : strlen(string);
    format_bytes(sink, spec, string, length);
}

// %ls in the "C" locale: each wide character must be ASCII.
static int format_wide_string(FormatSink* sink, const FormatSpec* spec, const wchar_t* string)
{
    if (!string) {
        format_string(sink, spec, NULL);
        return 0;
    }
    size_t length = 0;
    while (string[length] && (spec->precision < 0 || length < (size_t)spec->precision)) {
        if ((unsigned)string[length] > 0x7f)
            return -1;
        ++length;
    }
    int padding = spec->width > (int)length ? spec->width - (int)length : 0;
    if (!spec->left)
        __format_pad(sink, ' ', padding);
    for (size_t i = 0; i < length; ++i) {
        char byte = (char)string[i];
        __format_emit(sink, &byte, 1);
    }
    if (spec->left)
        __format_pad(sink, ' ', padding);
    return 0;
}

static void store_count(va_list* arguments, enum Length length, size_t count)
{
    switch (length) {
    case LengthChar:
        *va_arg(*arguments, signed char*) = (signed char)count;
        break;
    case LengthShort:
        *va_arg(*arguments, short*) = (short)count;
        break;
    case LengthLong:
        *va_arg(*arguments, long*) = (long)count;
        break;
    case LengthLongLong:
        *va_arg(*arguments, long long*) = (long long)count;
        break;
    case LengthSize:
        *va_arg(*arguments, size_t*) = count;
        break;
    case LengthMax:
        *va_arg(*arguments, intmax_t*) = (intmax_t)count;
        break;
    case LengthPtrdiff:
        *va_arg(*arguments, ptrdiff_t*) = (ptrdiff_t)count;
        break;
    default:
        *va_arg(*arguments, int*) = (int)count;
        break;
    }
}

static intmax_t signed_argument(va_list* arguments, enum Length length)
{
    // ssize_t, intmax_t and ptrdiff_t are one type on x86_64, but each length
    // modifier names its own C type.
    // NOLINTBEGIN(bugprone-branch-clone)
    switch (length) {
    case LengthChar:
        return (signed char)va_arg(*arguments, int);
    case LengthShort:
        return (short)va_arg(*arguments, int);
    case LengthLong:
        return va_arg(*arguments, long);
    case LengthLongLong:
        return va_arg(*arguments, long long);
    case LengthSize:
        return va_arg(*arguments, ssize_t);
    case LengthMax:
        return va_arg(*arguments, intmax_t);
    case LengthPtrdiff:
        return va_arg(*arguments, ptrdiff_t);
    default:
        return va_arg(*arguments, int);
    }
    // NOLINTEND(bugprone-branch-clone)
}

static uintmax_t unsigned_argument(va_list* arguments, enum Length length)
{
    // ssize_t, intmax_t and ptrdiff_t are one type on x86_64, but each length
    // modifier names its own C type.
    // NOLINTBEGIN(bugprone-branch-clone)
    switch (length) {
    case LengthChar:
        return (unsigned char)va_arg(*arguments, unsigned);
    case LengthShort:
        return (unsigned short)va_arg(*arguments, unsigned);
    case LengthLong:
        return va_arg(*arguments, unsigned long);
    case LengthLongLong:
        return va_arg(*arguments, unsigned long long);
    case LengthSize:
        return va_arg(*arguments, size_t);
    case LengthMax:
        return va_arg(*arguments, uintmax_t);
    case LengthPtrdiff:
        return (uintmax_t)va_arg(*arguments, ptrdiff_t);
    default:
        return va_arg(*arguments, unsigned);
    }
    // NOLINTEND(bugprone-branch-clone)
}

static int parse_number(const char** cursor)
{
    int value = 0;
    while (**cursor >= '0' && **cursor <= '9') {
        int digit = *(*cursor)++ - '0';
        value = value > (INT_MAX - digit) / 10 ? INT_MAX : value * 10 + digit;
    }
    return value;
}

static enum Length parse_length(const char** cursor)
{
    switch (*(*cursor)++) {
    case 'h':
        if (**cursor == 'h') {
            ++*cursor;
            return LengthChar;
        }
        return LengthShort;
    case 'l':
        if (**cursor == 'l') {
            ++*cursor;
            return LengthLongLong;
        }
        return LengthLong;
    case 'q':
        return LengthLongLong;
    case 'j':
        return LengthMax;
    case 'z':
    case 'Z':
        return LengthSize;
    case 't':
        return LengthPtrdiff;
    case 'L':
        return LengthLongDouble;
    default:
        --*cursor;
        return LengthNone;
    }
}

int __format(FormatSink* sink, const char* format, va_list caller_arguments)
{
    va_list arguments;
    va_copy(arguments, caller_arguments);
    int saved_errno = errno;
    int status = 0;

    while (*format && status == 0) {
        if (*format != '%') {
            const char* next = strchrnul(format, '%');
            __format_emit(sink, format, (size_t)(next - format));
            format = next;
            continue;
        }
        const char* spec_start = format++;
        FormatSpec spec = { .precision = -1 };

        for (;; ++format) {
            if (*format == '-')
                spec.left = 1;
            else if (*format == '+')
                spec.plus = 1;
            else if (*format == ' ')
                spec.space = 1;
            else if (*format == '#')
                spec.alternate = 1;
            else if (*format == '0')
                spec.zero = 1;
            else if (*format != '\'') // grouping: no separator in the "C" locale
                break;
        }
        if (*format == '*') {
            ++format;
            int width = va_arg(arguments, int);
            if (width < 0) {
                spec.left = 1;
                width = width == INT_MIN ? INT_MAX : -width;
            }
            spec.width = width;
        } else {
            spec.width = parse_number(&format);
        }
        if (*format == '.') {
            ++format;
            if (*format == '*') {
                ++format;
                int precision = va_arg(arguments, int);
                spec.precision = precision < 0 ? -1 : precision;
            } else {
                spec.precision = parse_number(&format);
            }
        }
        enum Length length = parse_length(&format);
        spec.conversion = *format;
        if (!spec.conversion) {
            errno = EINVAL; // a lone '%' at the end: glibc fails the call
            status = -1;
            break;
        }
        ++format;

        switch (spec.conversion) {
        case 'd':
        case 'i': {
            intmax_t value = signed_argument(&arguments, length);
            uintmax_t magnitude = value < 0 ? -(uintmax_t)value : (uintmax_t)value;
            format_integer(sink, &spec, magnitude, value < 0, 1);
            break;
        }
        case 'u':
        case 'o':
        case 'x':
        case 'X':
            format_integer(sink, &spec, unsigned_argument(&arguments, length), 0, 0);
            break;
        case 'p': {
            void* pointer = va_arg(arguments, void*);
            if (!pointer) {
                FormatSpec nil = spec;
                nil.precision = -1;
                format_string(sink, &nil, "(nil)");
                break;
            }
            spec.alternate = 1;
            format_integer(sink, &spec, (uintptr_t)pointer, 0, 1);
            break;
        }
        case 'c':
            if (length == LengthLong) {
                unsigned wide = va_arg(arguments, unsigned);
                if (wide > 0x7f) {
                    errno = EILSEQ;
                    status = -1;
                    break;
                }
                char byte = (char)wide;
                format_bytes(sink, &spec, &byte, 1);
            } else {
                char byte = (char)va_arg(arguments, int);
                format_bytes(sink, &spec, &byte, 1);
            }
            break;
        case 's':
            if (length == LengthLong) {
                if (format_wide_string(sink, &spec, va_arg(arguments, const wchar_t*)) < 0) {
                    errno = EILSEQ;
                    status = -1;
                }
            } else {
                format_string(sink, &spec, va_arg(arguments, const char*));
            }
            break;
        case 'm':
            format_string(sink, &spec, strerror(saved_errno));
            break;
        case 'n':
            store_count(&arguments, length, sink->count);
            break;
        case '%':
            __format_emit(sink, "%", 1);
            break;
        case 'f':
        case 'F':
        case 'e':
        case 'E':
        case 'g':
        case 'G': {
            double value
                = length == LengthLongDouble ? (double)va_arg(arguments, long double) : va_arg(arguments, double);
            __format_double(sink, value, &spec);
            break;
        }
        default:
            __format_emit(sink, spec_start, (size_t)(format - spec_start));
            break;
        }
    }
    va_end(arguments);

    if (sink->failed)
        status = -1; // the sink has set errno
    if (status == 0 && sink->count > INT_MAX) {
        errno = EOVERFLOW;
        status = -1;
    }
    return status < 0 ? -1 : (int)sink->count;
}
