// The printf differential table: one program, built once with Osprey's libc
// and once with the host glibc; libc_compare.py runs both and requires the
// two outputs to be identical byte for byte.
//
// Every line is "<format> [<output>] <return value>" for one format and one
// value, produced by snprintf into a large buffer (the same engine as the
// stream functions, which get their own section at the end). The cases cover
// every flag combination with widths and precisions over %d %i %u %x %X %o,
// all length modifiers, %c %s %p %% %n, and %f %F %e %E %g %G over edge
// values (ties for round-half-even, powers of ten, denormals, the extremes,
// infinities and NaNs with signs) and random doubles from a fixed seed.

#include <float.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

static char s_output[8192];
static char s_format[64];
static unsigned long s_lines;

static const char* const s_flag_characters = "-+ #0";

// Every subset of the five flags, in a fixed order.
static const char* flag_set(int mask)
{
    static char flags[8];
    int length = 0;
    for (int bit = 0; bit < 5; ++bit) {
        if (mask & (1 << bit))
            flags[length++] = s_flag_characters[bit];
    }
    flags[length] = '\0';
    return flags;
}

static void make_format(
    const char* flags, const char* width, const char* precision, const char* length, char conversion)
{
    char* out = s_format;
    *out++ = '%';
    out = stpcpy(out, flags);
    out = stpcpy(out, width);
    out = stpcpy(out, precision);
    out = stpcpy(out, length);
    *out++ = conversion;
    *out = '\0';
}

static void emit_line(int result)
{
    fputs(s_format, stdout);
    fputs(" [", stdout);
    if (result > 0)
        fwrite(s_output, 1, (size_t)result < sizeof(s_output) ? (size_t)result : sizeof(s_output) - 1, stdout);
    printf("] %d\n", result);
    ++s_lines;
}

static const char* const s_widths[] = { "", "1", "8", "23" };
static const char* const s_precisions[] = { "", ".", ".0", ".3", ".12" };

static void integer_flag_table(void)
{
    static const int values[] = { 0, 1, -1, 42, -12345, 8, 255, INT_MAX, INT_MIN };
    static const char conversions[] = "diuxXo";
    for (const char* conversion = conversions; *conversion; ++conversion) {
        for (int mask = 0; mask < 32; ++mask) {
            for (size_t w = 0; w < sizeof(s_widths) / sizeof(s_widths[0]); ++w) {
                for (size_t p = 0; p < sizeof(s_precisions) / sizeof(s_precisions[0]); ++p) {
                    make_format(flag_set(mask), s_widths[w], s_precisions[p], "", *conversion);
                    for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); ++v)
                        emit_line(snprintf(s_output, sizeof(s_output), s_format, values[v]));
                }
            }
        }
    }
}

static void length_modifier_table(void)
{
    static const long long values[]
        = { 0, 1, -1, 127, -128, 255, 256, 32767, -32768, 65535, 65536, 2147483647LL, -2147483647LL - 1, 4294967295LL,
              4294967296LL, LLONG_MAX, LLONG_MIN, 0x123456789abcdefLL, -0x123456789abcdefLL };
    static const char* const modifiers[] = { "hh", "h", "l", "ll", "j", "z", "t", "q" };
    static const char* const flags[] = { "", "#", "-", "0", "+", " ", "-#", "0#" };
    static const char* const widths[] = { "", "25" };
    static const char* const precisions[] = { "", ".0", ".20" };
    static const char conversions[] = "diuxXo";
    for (size_t m = 0; m < sizeof(modifiers) / sizeof(modifiers[0]); ++m) {
        for (const char* conversion = conversions; *conversion; ++conversion) {
            for (size_t f = 0; f < sizeof(flags) / sizeof(flags[0]); ++f) {
                for (size_t w = 0; w < 2; ++w) {
                    for (size_t p = 0; p < 3; ++p) {
                        make_format(flags[f], widths[w], precisions[p], modifiers[m], *conversion);
                        for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); ++v) {
                            long long value = values[v];
                            int result;
                            switch (modifiers[m][0]) {
                            case 'h':
                                result = snprintf(s_output, sizeof(s_output), s_format, (int)value);
                                break;
                            case 'l':
                                result = modifiers[m][1] ? snprintf(s_output, sizeof(s_output), s_format, value)
                                                         : snprintf(s_output, sizeof(s_output), s_format, (long)value);
                                break;
                            case 'j':
                                result = snprintf(s_output, sizeof(s_output), s_format, (intmax_t)value);
                                break;
                            case 'z':
                                result = snprintf(s_output, sizeof(s_output), s_format, (size_t)value);
                                break;
                            case 't':
                                result = snprintf(s_output, sizeof(s_output), s_format, (ptrdiff_t)value);
                                break;
                            default:
                                result = snprintf(s_output, sizeof(s_output), s_format, value);
                                break;
                            }
                            emit_line(result);
                        }
                    }
                }
            }
        }
    }
}

static void character_string_pointer_table(void)
{
    static const int characters[] = { 'a', ' ', '%', 0x7f, 0xe9 };
    static const char* const strings[] = { "", "a", "hello", "hello, world", NULL };
    static void* const pointers[] = { NULL, (void*)1, (void*)0xdeadbeef, (void*)0x7fffffffe000, (void*)-1 };
    static const char* const widths[] = { "", "1", "6", "16" };
    static const char* const precisions[] = { "", ".0", ".2", ".5", ".6", ".20" };
    for (int mask = 0; mask < 32; ++mask) {
        for (size_t w = 0; w < 4; ++w) {
            make_format(flag_set(mask), widths[w], "", "", 'c');
            for (size_t v = 0; v < sizeof(characters) / sizeof(characters[0]); ++v)
                emit_line(snprintf(s_output, sizeof(s_output), s_format, characters[v]));
            for (size_t p = 0; p < 6; ++p) {
                make_format(flag_set(mask), widths[w], precisions[p], "", 's');
                for (size_t v = 0; v < sizeof(strings) / sizeof(strings[0]); ++v)
                    emit_line(snprintf(s_output, sizeof(s_output), s_format, strings[v]));
                make_format(flag_set(mask), widths[w], precisions[p], "", 'p');
                for (size_t v = 0; v < sizeof(pointers) / sizeof(pointers[0]); ++v)
                    emit_line(snprintf(s_output, sizeof(s_output), s_format, pointers[v]));
            }
        }
    }
}

static void fixed_format_table(void)
{
    static const char* const formats[] = { "%%", "%5%", "[%-5%]", "100%% sure", "%d%%", "%s%c%d", "%*d", "%-*d", "%.*d",
        "%*.*f", "%.*s", "abc%", "%hhn", "%c%c%c", "abc%5", "x%-l", "%5.3", "%y", "%5k" };
    int count = 0;
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); ++i) {
        strcpy(s_format, formats[i]);
        int result;
        switch (i) {
        case 4:
            result = snprintf(s_output, sizeof(s_output), s_format, 99);
            break;
        case 5:
            result = snprintf(s_output, sizeof(s_output), s_format, "x", 'y', 7);
            break;
        case 6:
        case 7:
            result = snprintf(s_output, sizeof(s_output), s_format, -6, 42);
            break;
        case 8:
            result = snprintf(s_output, sizeof(s_output), s_format, -3, 42);
            break;
        case 9:
            result = snprintf(s_output, sizeof(s_output), s_format, 12, -1, 3.25);
            break;
        case 10:
            result = snprintf(s_output, sizeof(s_output), s_format, 3, "abcdef");
            break;
        case 12: {
            signed char stored = 0;
            result = snprintf(s_output, sizeof(s_output), s_format, &stored);
            count = stored;
            break;
        }
        case 13:
            result = snprintf(s_output, sizeof(s_output), s_format, 'a', 'b', 'c');
            break;
        default:
            result = snprintf(s_output, sizeof(s_output), s_format, 0);
            break;
        }
        emit_line(result);
    }
    int n_int = -1;
    long n_long = -1;
    strcpy(s_format, "hello%n world%ln!");
    emit_line(snprintf(s_output, sizeof(s_output), s_format, &n_int, &n_long));
    printf("%%n stored %d %ld %d\n", n_int, n_long, count);
}

// Edge values for the floating-point conversions.
static const double s_edge_values[] = {
    0.0,
    -0.0,
    0.5,
    1.5,
    2.5,
    3.5,
    -0.5,
    -2.5,
    0.25,
    0.125,
    0.375,
    1.25,
    1.0 / 3,
    2.0 / 3,
    0.1,
    0.2,
    0.3,
    0.05,
    0.15,
    0.25,
    0.35,
    0.45,
    0.55,
    1.005,
    2.675,
    1.45,
    9.5,
    99.5,
    999.5,
    9999.5,
    0.95,
    0.995,
    0.9995,
    0.99999,
    9.999999,
    999999.5,
    9999995.0,
    0.0009995,
    1.0,
    10.0,
    100.0,
    1e6,
    1e7,
    1e15,
    1e16,
    1e17,
    1e21,
    1e22,
    1e23,
    9.999999999999999e22,
    123456789012345678.0,
    4.35,
    0.000123456,
    1e-4,
    9.9999e-5,
    1e-5,
    3.14159265358979,
    2.718281828459045,
    1e100,
    1e300,
    -1e300,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    2.2250738585072014e-308,
    2.225073858507201e-308,
    4.9406564584124654e-324,
    -4.9406564584124654e-324,
    1e-300,
    5e-324 * 3,
    0.1 + 0.2,
    1e-10,
    123.456,
    -123.456,
    65536.0,
    4294967296.0,
    9007199254740992.0,
    9007199254740993.0,
    1.5e-7,
    2.5e-7,
};

static double special_value(int index)
{
    switch (index) {
    case 0:
        return __builtin_inf();
    case 1:
        return -__builtin_inf();
    case 2:
        return __builtin_nan("");
    default:
        return -__builtin_nan("");
    }
}

static void float_flag_table(void)
{
    static const double values[] = { 0.0, -0.0, 0.5, 2.5, -1.25, 1e-5, 123456.789, 1e300, 5e-324, 99.95 };
    static const char* const widths[] = { "", "1", "14", "32" };
    static const char* const precisions[] = { "", ".", ".0", ".1", ".3", ".10", ".17", ".30" };
    static const char conversions[] = "fFeEgG";
    for (const char* conversion = conversions; *conversion; ++conversion) {
        for (int mask = 0; mask < 32; ++mask) {
            for (size_t w = 0; w < 4; ++w) {
                for (size_t p = 0; p < 8; ++p) {
                    make_format(flag_set(mask), widths[w], precisions[p], "", *conversion);
                    for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); ++v)
                        emit_line(snprintf(s_output, sizeof(s_output), s_format, values[v]));
                    for (int special = 0; special < 4; ++special)
                        emit_line(snprintf(s_output, sizeof(s_output), s_format, special_value(special)));
                }
            }
        }
    }
}

static const char* const s_value_formats[]
    = { "%f", "%.0f", "%.1f", "%.2f", "%.3f", "%.10f", "%.17f", "%.25f", "%.60f", "%e", "%.0e", "%.1e", "%.2e", "%.3e",
          "%.10e", "%.15e", "%.16e", "%.17e", "%.20e", "%.40e", "%.60e", "%g", "%.0g", "%.1g", "%.2g", "%.3g", "%#.1g",
          "%#.2g", "%#.4g", "%.10g", "%.15g", "%.17g", "%.25g", "%#g", "%#.3g", "%#.0e", "%#.0f", "%+.4e", "% .4g" };

static void value_line(double value)
{
    for (size_t f = 0; f < sizeof(s_value_formats) / sizeof(s_value_formats[0]); ++f) {
        strcpy(s_format, s_value_formats[f]);
        emit_line(snprintf(s_output, sizeof(s_output), s_format, value));
    }
}

// xorshift64*: the same sequence in both builds.
static uint64_t s_random_state = 0x9e3779b97f4a7c15ull;

static uint64_t next_random(void)
{
    s_random_state ^= s_random_state >> 12;
    s_random_state ^= s_random_state << 25;
    s_random_state ^= s_random_state >> 27;
    return s_random_state * 2685821657736338717ull;
}

static void float_value_table(void)
{
    for (size_t i = 0; i < sizeof(s_edge_values) / sizeof(s_edge_values[0]); ++i)
        value_line(s_edge_values[i]);
    for (int i = 0; i < 4; ++i)
        value_line(special_value(i));
    // Random bit patterns: every exponent, every mantissa shape.
    for (int i = 0; i < 700; ++i) {
        uint64_t bits = next_random();
        double value;
        memcpy(&value, &bits, sizeof(value));
        if (value != value || value - value != 0)
            continue; // NaN and infinity are covered above
        value_line(value);
    }
    // Short decimals (many ties and near-ties once in binary).
    for (int i = 0; i < 700; ++i) {
        long long mantissa = (long long)(next_random() % 2000001) - 1000000;
        int exponent = (int)(next_random() % 13);
        double value = (double)mantissa;
        for (int e = 0; e < exponent; ++e)
            value /= 10;
        value_line(value);
    }
}

// snprintf truncation and return values for small buffers.
static void truncation_table(void)
{
    static const size_t sizes[] = { 0, 1, 2, 5, 11, 12, 13 };
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); ++i) {
        char buffer[32];
        memset(buffer, '#', sizeof(buffer));
        int result = snprintf(buffer, sizes[i], "hello %s!", "world");
        printf("size %zu -> %d [", sizes[i], result);
        fwrite(buffer, 1, 16, stdout);
        printf("]\n");
    }
}

// The same conversions through the stream functions.
static void stream_table(void)
{
    printf("stream: %d %5.2f %-8s| %#x %e %g %c %%\n", -7, 2.675, "abc", 255, 12345.678, 0.0001234, 'z');
    fprintf(stdout, "fprintf: %+.3e %010.4f %s\n", -1234.5, 3.14159, (char*)NULL);
    int result = printf("%.100f\n", 0.1);
    printf("return %d\n", result);
    fflush(stdout);
    dprintf(1, "dprintf: %lld %llx %.0f\n", LLONG_MIN, ULLONG_MAX, 1e22);
}

int main(void)
{
    integer_flag_table();
    length_modifier_table();
    character_string_pointer_table();
    fixed_format_table();
    float_flag_table();
    float_value_table();
    truncation_table();
    fflush(stdout);
    stream_table();
    printf("%lu lines\n", s_lines);
    return 0;
}
