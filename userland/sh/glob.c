// Pathname expansion: matching (glob_match) and the directory walk
// (glob_expand), component by component, over opendir/readdir.

#include "glob.h"
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool glob_has_magic(const char* pattern)
{
    for (; *pattern; ++pattern) {
        if (*pattern == '\\' && pattern[1])
            ++pattern;
        else if (*pattern == '*' || *pattern == '?' || *pattern == '[')
            return true;
    }
    return false;
}

char* glob_unescape(const char* pattern)
{
    StringBuffer buffer = { 0 };
    for (; *pattern; ++pattern) {
        if (*pattern == '\\' && pattern[1])
            ++pattern;
        sb_append_char(&buffer, *pattern);
    }
    return sb_take(&buffer);
}

// Matches a bracket expression starting after '['. Sets *end to the pattern
// position after ']'. Returns -1 if the bracket is not closed (then '[' is an
// ordinary character).
static int match_bracket(const char* pattern, char character, const char** end)
{
    bool negate = *pattern == '!' || *pattern == '^';
    if (negate)
        ++pattern;
    bool matched = false;
    bool first = true;
    while (*pattern && (*pattern != ']' || first)) {
        first = false;
        char low = *pattern;
        if (low == '\\' && pattern[1])
            low = *++pattern;
        char high = low;
        if (pattern[1] == '-' && pattern[2] && pattern[2] != ']') {
            high = pattern[2];
            pattern += 2;
            if (high == '\\' && pattern[1])
                high = *++pattern;
        }
        if (character >= low && character <= high)
            matched = true;
        ++pattern;
    }
    if (*pattern != ']')
        return -1;
    *end = pattern + 1;
    return matched != negate;
}

bool glob_match(const char* pattern, const char* name)
{
    // Iterative matching with one backtrack point for the last '*', which is
    // enough for globs (no grouping).
    const char* star_pattern = NULL;
    const char* star_name = NULL;
    while (*name) {
        if (*pattern == '*') {
            star_pattern = ++pattern;
            star_name = name;
            continue;
        }
        bool advance = false;
        const char* next = pattern + 1;
        if (*pattern == '?') {
            advance = true;
        } else if (*pattern == '[') {
            int result = match_bracket(pattern + 1, *name, &next);
            if (result < 0) {
                advance = *name == '[';
                next = pattern + 1;
            } else {
                advance = result;
            }
        } else if (*pattern == '\\' && pattern[1]) {
            advance = pattern[1] == *name;
            next = pattern + 2;
        } else {
            advance = *pattern && *pattern == *name;
        }
        if (advance) {
            pattern = next;
            ++name;
        } else if (star_pattern) {
            pattern = star_pattern;
            name = ++star_name;
        } else {
            return false;
        }
    }
    while (*pattern == '*')
        ++pattern;
    return *pattern == '\0';
}

// Expands `pattern` (the components still to match) below `prefix` (already
// matched, "" or ending in '/').
static void expand_below(const char* prefix, const char* pattern, StringList* out)
{
    const char* slash = strchr(pattern, '/');
    size_t component_length = slash ? (size_t)(slash - pattern) : strlen(pattern);
    char* component = xstrndup(pattern, component_length);
    const char* rest = slash ? slash + 1 : NULL;
    while (rest && *rest == '/')
        ++rest;

    if (!glob_has_magic(component)) {
        char* literal = glob_unescape(component);
        StringBuffer path = { 0 };
        sb_append(&path, prefix);
        sb_append(&path, literal);
        free(literal);
        struct stat status;
        if (rest && *rest) {
            sb_append_char(&path, '/');
            expand_below(path.data, rest, out);
        } else if (lstat(path.data, &status) == 0) {
            if (rest)
                sb_append_char(&path, '/');
            string_list_push(out, sb_take(&path));
        }
        sb_free(&path);
        free(component);
        return;
    }

    DIR* directory = opendir(*prefix ? prefix : ".");
    if (!directory) {
        free(component);
        return;
    }
    StringList names = { 0 };
    struct dirent* entry;
    while ((entry = readdir(directory))) {
        if (entry->d_name[0] == '.' && component[0] != '.')
            continue;
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        if (glob_match(component, entry->d_name))
            string_list_push(&names, xstrdup(entry->d_name));
    }
    closedir(directory);
    string_list_sort(&names);
    for (size_t i = 0; i < names.count; ++i) {
        StringBuffer path = { 0 };
        sb_append(&path, prefix);
        sb_append(&path, names.items[i]);
        if (rest) {
            struct stat status;
            if (stat(path.data, &status) == 0 && S_ISDIR(status.st_mode)) {
                sb_append_char(&path, '/');
                if (*rest)
                    expand_below(path.data, rest, out);
                else
                    string_list_push(out, xstrdup(path.data));
            }
        } else {
            string_list_push(out, xstrdup(path.data));
        }
        sb_free(&path);
    }
    string_list_free(&names);
    free(component);
}

void glob_expand(const char* pattern, StringList* out)
{
    size_t before = out->count;
    if (pattern[0] == '/') {
        const char* rest = pattern;
        while (*rest == '/')
            ++rest;
        expand_below("/", rest, out);
    } else {
        expand_below("", pattern, out);
    }
    if (out->count == before)
        string_list_push(out, glob_unescape(pattern));
}
