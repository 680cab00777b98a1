#pragma once

// Pathname expansion (POSIX XCU 2.13). Patterns come from the expander with
// every quoted character escaped by a backslash, so "\*" is a literal star.
// Supported: * ? [abc] [a-z] [!x] [^x], per path component; a leading dot is
// matched only by a pattern that starts with a dot.

#include "util.h"
#include <stdbool.h>

// True if the pattern has an unescaped * ? or [.
bool glob_has_magic(const char* pattern);
bool glob_match(const char* pattern, const char* name);
// Appends the sorted matches of `pattern` to `out`, or the pattern with its
// escapes removed when nothing matches.
void glob_expand(const char* pattern, StringList* out);
// Removes backslash escapes: "a\*b" -> "a*b".
char* glob_unescape(const char* pattern);
