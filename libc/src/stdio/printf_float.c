// %f %e %g of a double, with the exact decimal value of the binary number
// rounded half to even at the requested digit, as glibc does in the default
// rounding mode (so %.0f of 0.5 is "0", of 2.5 is "2", and %.2f of 2.675,
// which is 2.67499999999999982236431605997495353221893310546875, is "2.67").
//
// A finite double is m * 2^e with an integer m < 2^53 and -1074 <= e <= 971.
// For e >= 0 the value is the integer m * 2^e (at most 309 digits); for e < 0
// it is m * 5^-e / 10^-e, so the digits are those of the integer m * 5^-e (at
// most 767 digits) with the decimal point moved -e places. Both integers are
// computed exactly in base 10^9 limbs (a limb times 2^29 or 5^13 stays below
// 2^64). The digit string is then rounded once, at the position the
// conversion asks for, and printed through a digit accessor that supplies the
// zeros beyond the exact digits (any precision works without a large buffer).

#include "format.h"
#include <stdint.h>
#include <string.h>

enum {
    LimbBase = 1000000000,
    MaxLimbs = 90, // 767 digits / 9 per limb, with room to spare
    MaxDigits = MaxLimbs * 9,
};

// Exact decimal digits of |value|: value = 0.d[0]d[1]... * 10^(exponent + 1),
// that is d[0] is the digit of 10^exponent. No leading zeros; count 0 for zero.
typedef struct {
    unsigned char digits[MaxDigits];
    int count;
    int exponent;
} Decimal;

typedef struct {
    uint32_t limbs[MaxLimbs]; // little endian, base 10^9
    int count;
} BigInteger;

static void big_multiply(BigInteger* number, uint32_t factor)
{
    uint64_t carry = 0;
    for (int i = 0; i < number->count; ++i) {
        uint64_t product = (uint64_t)number->limbs[i] * factor + carry;
        number->limbs[i] = (uint32_t)(product % LimbBase);
        carry = product / LimbBase;
    }
    while (carry) {
        number->limbs[number->count++] = (uint32_t)(carry % LimbBase);
        carry /= LimbBase;
    }
}

static void decimal_from_double(Decimal* decimal, uint64_t mantissa, int binary_exponent)
{
    decimal->count = 0;
    decimal->exponent = 0;
    if (mantissa == 0)
        return;

    BigInteger number = { .count = 0 };
    while (mantissa) {
        number.limbs[number.count++] = (uint32_t)(mantissa % LimbBase);
        mantissa /= LimbBase;
    }
    int scale = 0; // value = number * 10^-scale
    if (binary_exponent >= 0) {
        for (int left = binary_exponent; left > 0; left -= 29)
            big_multiply(&number, 1u << (left < 29 ? left : 29));
    } else {
        static const uint32_t powers_of_five[]
            = { 1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125, 9765625, 48828125, 244140625, 1220703125 };
        for (int left = -binary_exponent; left > 0; left -= 13)
            big_multiply(&number, powers_of_five[left < 13 ? left : 13]);
        scale = -binary_exponent;
    }

    // Limbs to digits, most significant first, without leading zeros.
    int count = 0;
    for (int i = number.count - 1; i >= 0; --i) {
        unsigned char group[9];
        uint32_t limb = number.limbs[i];
        for (int j = 8; j >= 0; --j) {
            group[j] = (unsigned char)(limb % 10);
            limb /= 10;
        }
        for (int j = 0; j < 9; ++j) {
            if (count == 0 && group[j] == 0)
                continue;
            decimal->digits[count++] = group[j];
        }
    }
    decimal->exponent = count - 1 - scale;
    while (count > 0 && decimal->digits[count - 1] == 0)
        --count; // trailing zeros carry no information
    decimal->count = count;
}

// Keeps `keep` significant digits, rounding half to even on the exact value.
// Rounding up may carry into a new leading digit (999.7 -> 1000). A result of
// zero has count 0 and exponent 0.
static void decimal_round(Decimal* decimal, long keep)
{
    if (keep >= decimal->count)
        return;
    int round_up = 0;
    if (keep >= 0) {
        unsigned next = decimal->digits[keep];
        if (next != 5)
            round_up = next > 5;
        else if (decimal->count > keep + 1)
            round_up = 1; // more nonzero digits follow: above the half
        else
            round_up = keep > 0 && (decimal->digits[keep - 1] & 1); // a tie: to even
    }
    decimal->count = keep > 0 ? (int)keep : 0;
    if (round_up) {
        int i = decimal->count - 1;
        while (i >= 0 && decimal->digits[i] == 9)
            --i;
        if (i < 0) {
            decimal->digits[0] = 1;
            decimal->count = 1;
            decimal->exponent += 1;
        } else {
            decimal->digits[i] += 1;
            decimal->count = i + 1;
        }
    }
    while (decimal->count > 0 && decimal->digits[decimal->count - 1] == 0)
        --decimal->count;
    if (decimal->count == 0)
        decimal->exponent = 0;
}

// Digit of 10^(exponent - index): the exact digits, then zeros.
static char digit_at(const Decimal* decimal, long index)
{
    if (index < 0 || index >= decimal->count)
        return '0';
    return (char)('0' + decimal->digits[index]);
}

// Buffers output in small chunks so that long digit runs cost few sink calls.
typedef struct {
    FormatSink* sink;
    char bytes[64];
    size_t length;
} Chunk;

static void chunk_put(Chunk* chunk, char byte)
{
    if (chunk->length == sizeof(chunk->bytes)) {
        __format_emit(chunk->sink, chunk->bytes, chunk->length);
        chunk->length = 0;
    }
    chunk->bytes[chunk->length++] = byte;
}

static void chunk_flush(Chunk* chunk)
{
    __format_emit(chunk->sink, chunk->bytes, chunk->length);
    chunk->length = 0;
}

// [integer digits][.fraction]: fraction_digits digits after the point.
static void emit_fixed(FormatSink* sink, const Decimal* decimal, long fraction_digits, int point)
{
    Chunk chunk = { .sink = sink };
    if (decimal->exponent < 0) {
        chunk_put(&chunk, '0');
    } else {
        for (long index = 0; index <= decimal->exponent; ++index)
            chunk_put(&chunk, digit_at(decimal, index));
    }
    if (point)
        chunk_put(&chunk, '.');
    for (long j = 1; j <= fraction_digits; ++j)
        chunk_put(&chunk, digit_at(decimal, decimal->exponent + j));
    chunk_flush(&chunk);
}

static int exponent_digit_count(int exponent)
{
    int magnitude = exponent < 0 ? -exponent : exponent;
    return magnitude >= 100 ? 3 : 2;
}

// d[.ddd]e±XX
static void emit_exponential(FormatSink* sink, const Decimal* decimal, long fraction_digits, int point, char e)
{
    Chunk chunk = { .sink = sink };
    chunk_put(&chunk, digit_at(decimal, 0));
    if (point)
        chunk_put(&chunk, '.');
    for (long j = 1; j <= fraction_digits; ++j)
        chunk_put(&chunk, digit_at(decimal, j));
    chunk_put(&chunk, e);
    int exponent = decimal->exponent;
    chunk_put(&chunk, exponent < 0 ? '-' : '+');
    int magnitude = exponent < 0 ? -exponent : exponent;
    if (magnitude >= 100)
        chunk_put(&chunk, (char)('0' + magnitude / 100));
    chunk_put(&chunk, (char)('0' + magnitude / 10 % 10));
    chunk_put(&chunk, (char)('0' + magnitude % 10));
    chunk_flush(&chunk);
}

static void emit_padded(FormatSink* sink, const FormatSpec* spec, char sign, long body_length, int zero_pad,
    void (*emit_body)(FormatSink*, const void*), const void* context)
{
    long length = body_length + (sign ? 1 : 0);
    int padding = spec->width > length ? (int)(spec->width - length) : 0;
    if (!spec->left && !zero_pad)
        __format_pad(sink, ' ', padding);
    if (sign)
        __format_emit(sink, &sign, 1);
    if (!spec->left && zero_pad)
        __format_pad(sink, '0', padding);
    emit_body(sink, context);
    if (spec->left)
        __format_pad(sink, ' ', padding);
}

typedef struct {
    const Decimal* decimal;
    long fraction_digits;
    int point;
    int exponential;
    char e;
    const char* text;
} Body;

static void emit_body(FormatSink* sink, const void* context)
{
    const Body* body = context;
    if (body->text)
        __format_emit(sink, body->text, strlen(body->text));
    else if (body->exponential)
        emit_exponential(sink, body->decimal, body->fraction_digits, body->point, body->e);
    else
        emit_fixed(sink, body->decimal, body->fraction_digits, body->point);
}

void __format_double(FormatSink* sink, double value, const FormatSpec* spec)
{
    uint64_t bits;
    memcpy(&bits, &value, sizeof(bits));
    int negative = (int)(bits >> 63);
    int biased_exponent = (int)((bits >> 52) & 0x7ff);
    uint64_t fraction = bits & ((1ull << 52) - 1);
    char conversion = spec->conversion;
    int uppercase = conversion == 'F' || conversion == 'E' || conversion == 'G';
    char sign = (char)(negative ? '-' : spec->plus ? '+' : spec->space ? ' ' : 0);

    if (biased_exponent == 0x7ff) {
        Body body = { .text = fraction ? (uppercase ? "NAN" : "nan") : (uppercase ? "INF" : "inf") };
        emit_padded(sink, spec, sign, 3, 0, emit_body, &body);
        return;
    }

    Decimal decimal;
    if (biased_exponent == 0)
        decimal_from_double(&decimal, fraction, -1074);
    else
        decimal_from_double(&decimal, fraction | (1ull << 52), biased_exponent - 1075);

    long precision = spec->precision < 0 ? 6 : spec->precision;
    Body body = { .decimal = &decimal, .e = uppercase ? 'E' : 'e' };
    char lower = (char)(conversion | 0x20);
    if (lower == 'g') {
        long significant = precision == 0 ? 1 : precision;
        long unrounded_exponent = decimal.exponent;
        decimal_round(&decimal, significant);
        long exponent = decimal.exponent;
        if (significant > exponent && exponent >= -4) {
            precision = significant - 1 - exponent;
        } else {
            body.exponential = 1;
            precision = significant - 1;
            // glibc quirk, kept for byte equality: when the value had exactly
            // P integer digits and rounding carried into a new digit (999.5
            // with %#.3g), glibc keeps the f-style fraction length, zero, and
            // prints "1.e+03" rather than C17's "1.00e+03". Only '#' shows it.
            if (unrounded_exponent == significant - 1 && exponent == significant)
                precision = 0;
        }
        if (!spec->alternate) {
            // Without '#', %g drops trailing zeros of the fraction.
            long exact = body.exponential ? decimal.count - 1 : decimal.count - 1 - exponent;
            if (exact < precision)
                precision = exact > 0 ? exact : 0;
        }
    } else if (lower == 'e') {
        body.exponential = 1;
        decimal_round(&decimal, precision + 1);
    } else {
        decimal_round(&decimal, decimal.exponent + 1 + precision);
    }
    body.fraction_digits = precision;
    body.point = precision > 0 || spec->alternate;

    long length = precision + body.point;
    if (body.exponential)
        length += 1 + 2 + exponent_digit_count(decimal.exponent);
    else
        length += decimal.exponent >= 0 ? decimal.exponent + 1 : 1;
    emit_padded(sink, spec, sign, length, spec->zero, emit_body, &body);
}
