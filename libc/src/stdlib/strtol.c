// String to integer conversions (C17 7.22.1.4). One unsigned parser does the
// work: leading space, an optional sign, a 0x/0X or 0 prefix for base 16 or 0,
// then digits; on overflow it saturates and sets ERANGE. The signed forms
// clamp to their range. An invalid base gives EINVAL and no conversion.

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

static int digit_value(char character)
{
    if (character >= '0' && character <= '9')
        return character - '0';
    if (character >= 'a' && character <= 'z')
        return character - 'a' + 10;
    if (character >= 'A' && character <= 'Z')
        return character - 'A' + 10;
    return 99;
}

// Parses the magnitude; *negative tells the sign. Returns UINTMAX_MAX with
// *overflow set when the magnitude does not fit.
static uintmax_t parse(const char* string, char** end, int base, int* negative, int* overflow)
{
    const char* cursor = string;
    *negative = 0;
    *overflow = 0;
    if (end)
        *end = (char*)string;
    if (base < 0 || base == 1 || base > 36) {
        errno = EINVAL;
        return 0;
    }
    while (isspace((unsigned char)*cursor))
        ++cursor;
    if (*cursor == '+' || *cursor == '-')
        *negative = *cursor++ == '-';
    if ((base == 0 || base == 16) && cursor[0] == '0' && (cursor[1] == 'x' || cursor[1] == 'X')
        && digit_value(cursor[2]) < 16) {
        cursor += 2;
        base = 16;
    } else if (base == 0) {
        base = cursor[0] == '0' ? 8 : 10;
    }
    uintmax_t value = 0;
    const char* digits_start = cursor;
    for (int digit; (digit = digit_value(*cursor)) < base; ++cursor) {
        if (value > (UINTMAX_MAX - (unsigned)digit) / (unsigned)base)
            *overflow = 1;
        else
            value = value * (unsigned)base + (unsigned)digit;
    }
    if (cursor == digits_start)
        return 0; // no digits: no conversion, *end stays at the start
    if (end)
        *end = (char*)cursor;
    return *overflow ? UINTMAX_MAX : value;
}

static uintmax_t to_unsigned(const char* string, char** end, int base, uintmax_t maximum)
{
    int negative;
    int overflow;
    uintmax_t value = parse(string, end, base, &negative, &overflow);
    if (overflow || value > maximum) {
        errno = ERANGE;
        return maximum;
    }
    return negative ? -value & maximum : value; // C: the negation happens in the return type
}

static intmax_t to_signed(const char* string, char** end, int base, intmax_t minimum, intmax_t maximum)
{
    int negative;
    int overflow;
    uintmax_t value = parse(string, end, base, &negative, &overflow);
    if (negative) {
        if (overflow || value > (uintmax_t)maximum + 1) {
            errno = ERANGE;
            return minimum;
        }
        return value == (uintmax_t)maximum + 1 ? minimum : -(intmax_t)value;
    }
    if (overflow || value > (uintmax_t)maximum) {
        errno = ERANGE;
        return maximum;
    }
    return (intmax_t)value;
}

long strtol(const char* restrict string, char** restrict end, int base)
{
    return (long)to_signed(string, end, base, LONG_MIN, LONG_MAX);
}

long long strtoll(const char* restrict string, char** restrict end, int base)
{
    return (long long)to_signed(string, end, base, LLONG_MIN, LLONG_MAX);
}

intmax_t strtoimax(const char* restrict string, char** restrict end, int base)
{
    return to_signed(string, end, base, INTMAX_MIN, INTMAX_MAX);
}

unsigned long strtoul(const char* restrict string, char** restrict end, int base)
{
    return (unsigned long)to_unsigned(string, end, base, ULONG_MAX);
}

unsigned long long strtoull(const char* restrict string, char** restrict end, int base)
{
    return (unsigned long long)to_unsigned(string, end, base, ULLONG_MAX);
}

uintmax_t strtoumax(const char* restrict string, char** restrict end, int base)
{
    return to_unsigned(string, end, base, UINTMAX_MAX);
}

int atoi(const char* string)
{
    return (int)strtol(string, NULL, 10);
}

long atol(const char* string)
{
    return strtol(string, NULL, 10);
}

long long atoll(const char* string)
{
    return strtoll(string, NULL, 10);
}
