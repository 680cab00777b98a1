// Wildcard matching; see pattern.h.

#include "pattern.h"

// Matches one bracket expression at `pattern` (just after '[') against `c`;
// returns the rest of the pattern after ']' through `rest`, or false with
// *rest = NULL for an unterminated bracket (then '[' is an ordinary char).
static bool match_bracket(const char* pattern, char c, const char** rest)
{
    bool negate = *pattern == '!' || *pattern == '^';
    if (negate)
        ++pattern;
    bool matched = false;
    const char* p = pattern;
    bool first = true;
    while (*p && (first || *p != ']')) {
        first = false;
        char low = *p;
        if (low == '\\' && p[1])
            low = *++p;
        char high = low;
        if (p[1] == '-' && p[2] && p[2] != ']') {
            p += 2;
            if (*p == '\\' && p[1])
                ++p;
            high = *p;
        }
        if (c >= low && c <= high)
            matched = true;
        ++p;
    }
    if (*p != ']') {
        *rest = 0;
        return false;
    }
    *rest = p + 1;
    return matched != negate;
}

bool pattern_match(const char* pattern, const char* name)
{
    while (*pattern) {
        switch (*pattern) {
        case '*':
            while (*pattern == '*')
                ++pattern;
            if (!*pattern)
                return true;
            for (const char* tail = name;; ++tail) {
                if (pattern_match(pattern, tail))
                    return true;
                if (!*tail)
                    return false;
            }
        case '?':
            if (!*name)
                return false;
            ++pattern;
            ++name;
            break;
        case '[': {
            const char* rest;
            if (!*name)
                return false;
            bool matched = match_bracket(pattern + 1, *name, &rest);
            if (rest) {
                if (!matched)
                    return false;
                pattern = rest;
                ++name;
                break;
            }
            // Unterminated: a literal '['.
            if (*name != '[')
                return false;
            ++pattern;
            ++name;
            break;
        }
        case '\\':
            if (pattern[1])
                ++pattern;
            // fall through
        default:
            if (*pattern != *name)
                return false;
            ++pattern;
            ++name;
            break;
        }
    }
    return *name == '\0';
}
