// /proc/mounts reader; see mounts.h.

#include "mounts.h"
#include <string.h>

FILE* mounts_open(void)
{
    return fopen("/proc/mounts", "r");
}

// Copies the next space-separated field of *line into `out`, unescaping.
static bool next_field(char** line, char* out, size_t size)
{
    char* p = *line;
    while (*p == ' ')
        ++p;
    if (!*p || *p == '\n')
        return false;
    size_t length = 0;
    while (*p && *p != ' ' && *p != '\n') {
        char c = *p++;
        if (c == '\\' && p[0] >= '0' && p[0] <= '3' && p[1] >= '0' && p[1] <= '7' && p[2] >= '0' && p[2] <= '7') {
            c = (char)((p[0] - '0') * 64 + (p[1] - '0') * 8 + (p[2] - '0'));
            p += 3;
        }
        if (length + 1 < size)
            out[length++] = c;
    }
    out[length] = '\0';
    *line = p;
    return true;
}

bool mounts_next(FILE* file, MountEntry* entry)
{
    char line[8192];
    while (fgets(line, sizeof(line), file)) {
        char* cursor = line;
        if (next_field(&cursor, entry->source, sizeof(entry->source))
            && next_field(&cursor, entry->target, sizeof(entry->target))
            && next_field(&cursor, entry->type, sizeof(entry->type))
            && next_field(&cursor, entry->options, sizeof(entry->options)))
            return true;
    }
    return false;
}
