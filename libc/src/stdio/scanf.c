// sscanf: formatted input from a string (C17 7.21.6.2), integers, strings,
// characters and scan sets: %d %i %u %o %x %X with hh h l ll j z t, %s %c
// %[...], %n, %%, '*' suppression and field widths. Floating-point
// conversions are not supported (the library has no strtod); a format that
// asks for one stops the scan there, as a matching failure.

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum Length { LengthNone, LengthChar, LengthShort, LengthLong, LengthLongLong, LengthSize, LengthMax, LengthPtrdiff };

static void store_integer(va_list* arguments, enum Length length, unsigned long long value)
{
    switch (length) {
    case LengthChar:
        *va_arg(*arguments, char*) = (char)value;
        break;
    case LengthShort:
        *va_arg(*arguments, short*) = (short)value;
        break;
    case LengthLong:
        *va_arg(*arguments, long*) = (long)value;
        break;
    case LengthLongLong:
        *va_arg(*arguments, long long*) = (long long)value;
        break;
    case LengthSize:
        *va_arg(*arguments, size_t*) = (size_t)value;
        break;
    case LengthMax:
        *va_arg(*arguments, intmax_t*) = (intmax_t)value;
        break;
    case LengthPtrdiff:
        *va_arg(*arguments, ptrdiff_t*) = (ptrdiff_t)value;
        break;
    default:
        *va_arg(*arguments, int*) = (int)value;
        break;
    }
}

// Parses "[...]" after the '[' into a 256-entry membership table; returns the
// format position after the closing ']', or NULL if there is none.
static const char* parse_scan_set(const char* format, unsigned char members[256])
{
    int invert = 0;
    if (*format == '^') {
        invert = 1;
        ++format;
    }
    memset(members, 0, 256);
    if (*format == ']')
        members[(unsigned char)*format++] = 1; // a leading ']' is a member
    while (*format && *format != ']') {
        unsigned char first = (unsigned char)*format++;
        if (*format == '-' && format[1] && format[1] != ']') {
            unsigned char last = (unsigned char)format[1];
            for (unsigned c = first; c <= last; ++c)
                members[c] = 1;
            format += 2;
        } else {
            members[first] = 1;
        }
    }
    if (*format != ']')
        return NULL;
    if (invert) {
        for (int c = 0; c < 256; ++c)
            members[c] = !members[c];
    }
    return format + 1;
}

int vsscanf(const char* restrict input, const char* restrict format, va_list caller_arguments)
{
    va_list arguments;
    va_copy(arguments, caller_arguments);
    const char* cursor = input;
    int assigned = 0;
    int converted_any = 0;
    int input_failure = 0; // the input ended before a directive could match

    while (*format) {
        if (isspace((unsigned char)*format)) {
            while (isspace((unsigned char)*format))
                ++format;
            while (isspace((unsigned char)*cursor))
                ++cursor;
            continue;
        }
        if (*format != '%' || format[1] == '%') {
            if (*format == '%') {
                ++format;
                while (isspace((unsigned char)*cursor))
                    ++cursor;
            }
            if (*cursor != *format) {
                input_failure = !*cursor;
                goto done;
            }
            ++cursor;
            ++format;
            continue;
        }
        ++format;
        int suppress = 0;
        if (*format == '*') {
            suppress = 1;
            ++format;
        }
        int width = 0;
        while (isdigit((unsigned char)*format))
            width = width * 10 + (*format++ - '0');
        enum Length length = LengthNone;
        if (*format == 'h') {
            length = format[1] == 'h' ? LengthChar : LengthShort;
            format += length == LengthChar ? 2 : 1;
        } else if (*format == 'l') {
            length = format[1] == 'l' ? LengthLongLong : LengthLong;
            format += length == LengthLongLong ? 2 : 1;
        } else if (*format == 'j' || *format == 'z' || *format == 't' || *format == 'L' || *format == 'q') {
            length = *format == 'j' ? LengthMax
                : *format == 'z'    ? LengthSize
                : *format == 't'    ? LengthPtrdiff
                                    : LengthLongLong;
            ++format;
        }
        char conversion = *format++;

        if (conversion == 'n') {
            if (!suppress)
                store_integer(&arguments, length, (unsigned long long)(cursor - input));
            continue;
        }
        if (conversion != 'c' && conversion != '[') {
            while (isspace((unsigned char)*cursor))
                ++cursor;
        }
        if (!*cursor) {
            input_failure = 1;
            goto done;
        }

        switch (conversion) {
        case 'd':
        case 'i':
        case 'u':
        case 'o':
        case 'x':
        case 'X': {
            int base = conversion == 'd' || conversion == 'u' ? 10 : conversion == 'i' ? 0 : conversion == 'o' ? 8 : 16;
            char field[64];
            size_t limit = width > 0 && width < (int)sizeof(field) ? (size_t)width : sizeof(field) - 1;
            size_t field_length = strnlen(cursor, limit);
            memcpy(field, cursor, field_length);
            field[field_length] = '\0';
            char* end;
            unsigned long long value = conversion == 'd' || conversion == 'i'
                ? (unsigned long long)strtoll(field, &end, base)
                : strtoull(field, &end, base);
            if (end == field)
                goto done;
            cursor += end - field;
            if (!suppress) {
                store_integer(&arguments, length, value);
                ++assigned;
            }
            break;
        }
        case 's': {
            char* out = suppress ? NULL : va_arg(arguments, char*);
            int count = 0;
            while (*cursor && !isspace((unsigned char)*cursor) && (width == 0 || count < width)) {
                if (out)
                    out[count] = *cursor;
                ++count;
                ++cursor;
            }
            if (out) {
                out[count] = '\0';
                ++assigned;
            }
            break;
        }
        case 'c': {
            char* out = suppress ? NULL : va_arg(arguments, char*);
            int count = width > 0 ? width : 1;
            if ((int)strnlen(cursor, (size_t)count) < count) {
                input_failure = 1;
                goto done;
            }
            if (out) {
                memcpy(out, cursor, (size_t)count);
                ++assigned;
            }
            cursor += count;
            break;
        }
        case '[': {
            unsigned char members[256];
            format = parse_scan_set(format, members);
            if (!format)
                goto done;
            char* out = suppress ? NULL : va_arg(arguments, char*);
            int count = 0;
            while (*cursor && members[(unsigned char)*cursor] && (width == 0 || count < width)) {
                if (out)
                    out[count] = *cursor;
                ++count;
                ++cursor;
            }
            if (count == 0)
                goto done;
            if (out) {
                out[count] = '\0';
                ++assigned;
            }
            break;
        }
        default:
            goto done; // unsupported conversion: a matching failure
        }
        converted_any = 1;
    }
done:
    va_end(arguments);
    return input_failure && !converted_any ? EOF : assigned;
}

int sscanf(const char* restrict input, const char* restrict format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    int result = vsscanf(input, format, arguments);
    va_end(arguments);
    return result;
}
