// The matcher (see regex.h): the pattern is compiled to an array of atoms,
// each a set of characters (a 256-bit map) with a "repeat" flag. Atom i is
// state i of an NFA (state `count` accepts); matching runs all states at once
// (Thompson's simulation), so it takes time linear in the text for a given
// pattern and never backtracks.

#include "regex.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned char set[32]; // bit c: character c matches
    bool repeat;           // x*
} Atom;

struct Regex {
    Atom* atoms;
    size_t count;
    bool anchored_start;
    bool anchored_end;
};

static void set_add(Atom* atom, unsigned char character, RegexCase case_mode)
{
    atom->set[character / 8] |= (unsigned char)(1u << (character % 8));
    if (case_mode == RegexIgnoreCase && isalpha(character)) {
        unsigned char other
            = islower(character) ? (unsigned char)toupper(character) : (unsigned char)tolower(character);
        atom->set[other / 8] |= (unsigned char)(1u << (other % 8));
    }
}

static bool set_has(const Atom* atom, unsigned char character)
{
    return atom->set[character / 8] & (1u << (character % 8));
}

// Parses a bracket expression after '['; returns the position after ']' or
// null if it is not closed.
static const char* parse_bracket(const char* pattern, Atom* atom, RegexCase case_mode)
{
    bool negate = *pattern == '^';
    if (negate)
        ++pattern;
    bool first = true;
    while (*pattern && (*pattern != ']' || first)) {
        first = false;
        unsigned char low = (unsigned char)*pattern;
        unsigned char high = low;
        if (pattern[1] == '-' && pattern[2] && pattern[2] != ']') {
            high = (unsigned char)pattern[2];
            pattern += 2;
        }
        for (unsigned value = low; value <= high; ++value)
            set_add(atom, (unsigned char)value, case_mode);
        ++pattern;
    }
    if (*pattern != ']')
        return NULL;
    if (negate) {
        for (size_t i = 0; i < sizeof(atom->set); ++i)
            atom->set[i] = (unsigned char)~atom->set[i];
        atom->set['\n' / 8] &= (unsigned char)~(1u << ('\n' % 8));
    }
    return pattern + 1;
}

Regex* regex_compile(const char* pattern, RegexSyntax syntax, RegexCase case_mode, const char** error)
{
    Regex* regex = calloc(1, sizeof(Regex));
    size_t capacity = strlen(pattern) + 1;
    if (regex)
        regex->atoms = calloc(capacity, sizeof(Atom));
    if (!regex || !regex->atoms) {
        free(regex);
        *error = "out of memory";
        return NULL;
    }
    if (syntax == RegexFixed) {
        for (; *pattern; ++pattern)
            set_add(&regex->atoms[regex->count++], (unsigned char)*pattern, case_mode);
        return regex;
    }
    if (*pattern == '^') {
        regex->anchored_start = true;
        ++pattern;
    }
    while (*pattern) {
        if (pattern[0] == '$' && pattern[1] == '\0') {
            regex->anchored_end = true;
            break;
        }
        if (*pattern == '*' && regex->count > 0 && !regex->atoms[regex->count - 1].repeat) {
            regex->atoms[regex->count - 1].repeat = true;
            ++pattern;
            continue;
        }
        Atom* atom = &regex->atoms[regex->count++];
        if (*pattern == '.') {
            memset(atom->set, 0xff, sizeof(atom->set));
            ++pattern;
        } else if (*pattern == '[') {
            pattern = parse_bracket(pattern + 1, atom, case_mode);
            if (!pattern) {
                *error = "Unmatched [, [^, [:, [., or [=";
                regex_free(regex);
                return NULL;
            }
        } else if (*pattern == '\\') {
            if (!pattern[1]) {
                *error = "Trailing backslash";
                regex_free(regex);
                return NULL;
            }
            set_add(atom, (unsigned char)pattern[1], case_mode);
            pattern += 2;
        } else {
            set_add(atom, (unsigned char)*pattern, case_mode);
            ++pattern;
        }
    }
    return regex;
}

// Adds state `index` and, through starred atoms (which may match nothing),
// the states after it.
static void add_state(const Regex* regex, bool* states, size_t index)
{
    while (!states[index]) {
        states[index] = true;
        if (index == regex->count || !regex->atoms[index].repeat)
            return;
        ++index;
    }
}

bool regex_search(const Regex* regex, const char* text, size_t length)
{
    size_t state_count = regex->count + 1; // the last state accepts
    bool* current = calloc(state_count * 2, sizeof(bool));
    if (!current)
        return false;
    bool* next = current + state_count;
    bool matched = false;
    add_state(regex, current, 0);
    for (size_t position = 0;; ++position) {
        if (current[regex->count] && (!regex->anchored_end || position == length)) {
            matched = true;
            break;
        }
        if (position == length)
            break;
        unsigned char character = (unsigned char)text[position];
        memset(next, 0, state_count * sizeof(bool));
        for (size_t index = 0; index < regex->count; ++index) {
            if (!current[index] || !set_has(&regex->atoms[index], character))
                continue;
            add_state(regex, next, regex->atoms[index].repeat ? index : index + 1);
        }
        // Unanchored: a match may also start at the next character.
        if (!regex->anchored_start)
            add_state(regex, next, 0);
        bool* swap = current;
        current = next;
        next = swap;
    }
    free(current < next ? current : next);
    return matched;
}

void regex_free(Regex* regex)
{
    if (!regex)
        return;
    free(regex->atoms);
    free(regex);
}
