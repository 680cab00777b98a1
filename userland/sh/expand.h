#pragma once

// Word expansion (POSIX XCU 2.6): tilde, parameters ($name ${name} $? $$ $!
// $# $0..$9 $@ $* and ${name:-word} ${name-word} ${name:+word} ${name+word}
// ${name:=word} ${#name}), command substitution $(...) and `...`, arithmetic
// $((...)), field splitting of unquoted results on blanks and newlines,
// pathname expansion of unquoted * ? [ and quote removal.

#include "util.h"
#include <stdbool.h>

// Expands raw words into fields, appended to `out`. Returns false (after
// reporting) on a bad substitution.
bool expand_words(char* const* words, size_t count, StringList* out);
// Expands one word without field splitting or pathname expansion (variable
// assignments, redirection targets). Returns null on a bad substitution.
char* expand_word(const char* word);
