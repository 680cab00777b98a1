// A recursive-descent evaluator for $((...)), one function per precedence
// level (C's precedence for the operators it supports).

#include "arithmetic.h"
#include "util.h"
#include "variables.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char* text;
    size_t position;
    bool failed;
    const char* expression;
} Evaluator;

static void skip_blanks(Evaluator* evaluator)
{
    while (isspace((unsigned char)evaluator->text[evaluator->position]))
        ++evaluator->position;
}

static bool take(Evaluator* evaluator, const char* operator)
{
    skip_blanks(evaluator);
    size_t length = strlen(operator);
    if (strncmp(evaluator->text + evaluator->position, operator, length) != 0)
        return false;
    // Do not take "<" out of "<=", "=" never stands alone, "&" not out of "&&".
    char next = evaluator->text[evaluator->position + length];
    if (length == 1 && (operator[0] == '<' || operator[0] == '>' || operator[0] == '!') && next == '=')
        return false;
    evaluator->position += length;
    return true;
}

static void fail(Evaluator* evaluator, const char* why)
{
    if (!evaluator->failed)
        shell_error("%s: %s", evaluator->expression, why);
    evaluator->failed = true;
}

static long long parse_or(Evaluator* evaluator);

// Wrapping arithmetic, as in bash: overflow is not undefined behaviour here.
static long long wrap_add(long long left, long long right)
{
    return (long long)((unsigned long long)left + (unsigned long long)right);
}

static long long wrap_multiply(long long left, long long right)
{
    return (long long)((unsigned long long)left * (unsigned long long)right);
}

static long long parse_primary(Evaluator* evaluator)
{
    skip_blanks(evaluator);
    const char* text = evaluator->text + evaluator->position;
    if (take(evaluator, "(")) {
        long long value = parse_or(evaluator);
        if (!take(evaluator, ")"))
            fail(evaluator, "missing `)'");
        return value;
    }
    if (isdigit((unsigned char)*text)) {
        char* end;
        long long value = strtoll(text, &end, 0);
        evaluator->position += (size_t)(end - text);
        return value;
    }
    if (is_name_start(*text)) {
        size_t length = 1;
        while (is_name_char(text[length]))
            ++length;
        char* name = xstrndup(text, length);
        const char* value = variable_get(name);
        free(name);
        evaluator->position += length;
        return value ? strtoll(value, NULL, 10) : 0;
    }
    fail(evaluator, "syntax error in expression");
    return 0;
}

static long long parse_unary(Evaluator* evaluator)
{
    if (take(evaluator, "-"))
        return wrap_multiply(-1, parse_unary(evaluator));
    if (take(evaluator, "+"))
        return parse_unary(evaluator);
    if (take(evaluator, "!"))
        return !parse_unary(evaluator);
    return parse_primary(evaluator);
}

static long long parse_multiplicative(Evaluator* evaluator)
{
    long long value = parse_unary(evaluator);
    for (;;) {
        if (take(evaluator, "*")) {
            value = wrap_multiply(value, parse_unary(evaluator));
        } else if (take(evaluator, "/") || take(evaluator, "%")) {
            bool divide = evaluator->text[evaluator->position - 1] == '/';
            long long divisor = parse_unary(evaluator);
            if (divisor == 0) {
                fail(evaluator, "division by 0");
                return 0;
            }
            if (divisor == -1) // LLONG_MIN / -1 overflows
                value = divide ? wrap_multiply(value, -1) : 0;
            else
                value = divide ? value / divisor : value % divisor;
        } else {
            return value;
        }
    }
}

static long long parse_additive(Evaluator* evaluator)
{
    long long value = parse_multiplicative(evaluator);
    for (;;) {
        if (take(evaluator, "+"))
            value = wrap_add(value, parse_multiplicative(evaluator));
        else if (take(evaluator, "-"))
            value = wrap_add(value, wrap_multiply(-1, parse_multiplicative(evaluator)));
        else
            return value;
    }
}

static long long parse_relational(Evaluator* evaluator)
{
    long long value = parse_additive(evaluator);
    for (;;) {
        if (take(evaluator, "<="))
            value = value <= parse_additive(evaluator);
        else if (take(evaluator, ">="))
            value = value >= parse_additive(evaluator);
        else if (take(evaluator, "<"))
            value = value < parse_additive(evaluator);
        else if (take(evaluator, ">"))
            value = value > parse_additive(evaluator);
        else
            return value;
    }
}

static long long parse_equality(Evaluator* evaluator)
{
    long long value = parse_relational(evaluator);
    for (;;) {
        if (take(evaluator, "=="))
            value = value == parse_relational(evaluator);
        else if (take(evaluator, "!="))
            value = value != parse_relational(evaluator);
        else
            return value;
    }
}

static long long parse_and(Evaluator* evaluator)
{
    long long value = parse_equality(evaluator);
    while (take(evaluator, "&&")) {
        long long right = parse_equality(evaluator);
        value = value && right;
    }
    return value;
}

static long long parse_or(Evaluator* evaluator)
{
    long long value = parse_and(evaluator);
    while (take(evaluator, "||")) {
        long long right = parse_and(evaluator);
        value = value || right;
    }
    return value;
}

bool arithmetic_evaluate(const char* expression, long long* result)
{
    Evaluator evaluator = { .text = expression, .expression = expression };
    skip_blanks(&evaluator);
    *result = evaluator.text[evaluator.position] ? parse_or(&evaluator) : 0;
    skip_blanks(&evaluator);
    if (!evaluator.failed && evaluator.text[evaluator.position])
        fail(&evaluator, "syntax error in expression");
    return !evaluator.failed;
}
