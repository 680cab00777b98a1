// find [path...] [-maxdepth N] [-mindepth N] [-name PATTERN] [-type C] [-print]:
// walks each path (default ".") depth-first, parents before their entries,
// entries in directory order as GNU find does, and prints every file that
// passes all the tests. -type takes f d l c b p s. Symbolic links are not
// followed. Exit status 1 if some file could not be read.

#include "lib/pattern.h"
#include "lib/utility.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    const char* name_pattern;
    char type;
    long max_depth; // -1 = no limit
    long min_depth;
} Tests;

static int s_status;

static bool type_matches(mode_t mode, char type)
{
    switch (type) {
    case 'f':
        return S_ISREG(mode);
    case 'd':
        return S_ISDIR(mode);
    case 'l':
        return S_ISLNK(mode);
    case 'c':
        return S_ISCHR(mode);
    case 'b':
        return S_ISBLK(mode);
    case 'p':
        return S_ISFIFO(mode);
    case 's':
        return S_ISSOCK(mode);
    default:
        return false;
    }
}

static const char* base_name(const char* path)
{
    size_t length = strlen(path);
    while (length > 1 && path[length - 1] == '/')
        --length;
    const char* start = path + length;
    while (start > path && start[-1] != '/')
        --start;
    static char name[4096];
    size_t name_length = (size_t)(path + length - start);
    if (name_length >= sizeof(name))
        name_length = sizeof(name) - 1;
    memcpy(name, start, name_length);
    name[name_length] = '\0';
    return name;
}

static void visit(const char* path, long depth, const Tests* tests)
{
    struct stat status;
    if (lstat(path, &status) < 0) {
        report_errno("'%s'", path);
        s_status = 1;
        return;
    }
    bool selected = depth >= tests->min_depth;
    if (selected && tests->name_pattern && !pattern_match(tests->name_pattern, base_name(path)))
        selected = false;
    if (selected && tests->type && !type_matches(status.st_mode, tests->type))
        selected = false;
    if (selected)
        printf("%s\n", path);
    if (!S_ISDIR(status.st_mode) || (tests->max_depth >= 0 && depth >= tests->max_depth))
        return;
    DIR* directory = opendir(path);
    if (!directory) {
        report_errno("'%s'", path);
        s_status = 1;
        return;
    }
    struct dirent* entry;
    while ((entry = readdir(directory))) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        size_t length = strlen(path);
        bool slash = length > 0 && path[length - 1] == '/';
        size_t size = length + strlen(entry->d_name) + 2;
        char* child = malloc(size);
        if (!child) {
            report("memory exhausted");
            exit(1);
        }
        snprintf(child, size, slash ? "%s%s" : "%s/%s", path, entry->d_name);
        visit(child, depth + 1, tests);
        free(child);
    }
    closedir(directory);
}

static bool parse_depth(const char* option, const char* text, long* result)
{
    unsigned long long value;
    if (!text || !parse_count(text, &value)) {
        report("Expected a positive decimal integer argument to %s, but got '%s'", option, text ? text : "");
        return false;
    }
    *result = (long)value;
    return true;
}

int main(int argc, char** argv)
{
    g_program_name = "find";
    Tests tests = { NULL, 0, -1, 0 };
    int first_expression = 1;
    while (first_expression < argc && argv[first_expression][0] != '-')
        ++first_expression;
    for (int i = first_expression; i < argc; ++i) {
        const char* word = argv[i];
        const char* value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(word, "-print") == 0)
            continue;
        if (strcmp(word, "-name") != 0 && strcmp(word, "-type") != 0 && strcmp(word, "-maxdepth") != 0
            && strcmp(word, "-mindepth") != 0) {
            report("unknown predicate `%s'", word);
            return 1;
        }
        if (!value) {
            report("missing argument to `%s'", word);
            return 1;
        }
        ++i;
        if (strcmp(word, "-name") == 0) {
            tests.name_pattern = value;
        } else if (strcmp(word, "-type") == 0) {
            if (strlen(value) != 1 || !strchr("fdlcbps", value[0])) {
                report("Unknown argument to -type: %s", value);
                return 1;
            }
            tests.type = value[0];
        } else if (strcmp(word, "-maxdepth") == 0) {
            if (!parse_depth(word, value, &tests.max_depth))
                return 1;
        } else if (!parse_depth(word, value, &tests.min_depth)) {
            return 1;
        }
    }
    if (first_expression == 1)
        visit(".", 0, &tests);
    for (int i = 1; i < first_expression; ++i)
        visit(argv[i], 0, &tests);
    return s_status;
}
