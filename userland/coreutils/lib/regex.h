#pragma once

// A small regular-expression matcher for grep: the basic-regex subset
//   c     a literal character (\c for a special one: \. \* \[ \^ \$ \\)
//   .     any character
//   [...] a bracket expression: ranges a-z, negation [^...], ']' first is literal
//   x*    zero or more of the atom before
//   ^ $   anchors at the start and end of the pattern
// with optional case folding. A '*' at the start (or after '^') is literal,
// as in POSIX BREs.

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    RegexCaseSensitive,
    RegexIgnoreCase,
} RegexCase;

typedef enum {
    RegexBasic, // the subset above
    RegexFixed, // every character literal (grep -F)
} RegexSyntax;

typedef struct Regex Regex;

// Null (and *error set to a message) for a malformed pattern.
Regex* regex_compile(const char* pattern, RegexSyntax syntax, RegexCase case_mode, const char** error);
// True if the pattern matches anywhere in text[0..length).
bool regex_search(const Regex* regex, const char* text, size_t length);
void regex_free(Regex* regex);
