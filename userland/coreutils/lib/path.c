// Path helpers (see path.h). Allocation failure ends the program with a
// report: these are small strings in short-lived utilities.

#include "path.h"
#include "utility.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool path_is_directory(const char* path)
{
    struct stat status;
    return stat(path, &status) == 0 && S_ISDIR(status.st_mode);
}

static void* checked(void* pointer)
{
    if (!pointer) {
        report("out of memory");
        exit(1);
    }
    return pointer;
}

char* path_base_name(const char* path)
{
    size_t end = strlen(path);
    while (end > 1 && path[end - 1] == '/')
        --end;
    size_t start = end;
    while (start > 0 && path[start - 1] != '/')
        --start;
    if (start == end) // "/" itself
        return checked(strdup("/"));
    return checked(strndup(path + start, end - start));
}

char* path_inside(const char* directory, const char* source)
{
    char* base = path_base_name(source);
    size_t length = strlen(directory);
    bool has_slash = length > 0 && directory[length - 1] == '/';
    char* result;
    if (asprintf(&result, "%s%s%s", directory, has_slash ? "" : "/", base) < 0)
        result = NULL;
    free(base);
    return checked(result);
}

bool path_visit_children(const char* directory, void (*visit)(const char* child))
{
    DIR* stream = opendir(directory);
    if (!stream)
        return false;
    struct dirent* entry;
    while ((entry = readdir(stream))) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        size_t size = strlen(directory) + strlen(entry->d_name) + 2;
        char* child = checked(malloc(size));
        snprintf(child, size, "%s/%s", directory, entry->d_name);
        visit(child);
        free(child);
    }
    closedir(stream);
    return true;
}
