#pragma once

// Arithmetic expansion $((...)) over signed 64-bit integers: + - * / %,
// unary - + !, comparisons < <= > >= == !=, && ||, parentheses, decimal
// numbers and variable names (an unset or non-numeric variable is 0).

#include <stdbool.h>

// Evaluates `expression` (already parameter-expanded). Returns false and
// reports on a syntax error or a division by zero.
bool arithmetic_evaluate(const char* expression, long long* result);
