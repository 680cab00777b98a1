// The history list: a plain array; when full, the oldest entry is dropped
// by moving the rest down (500 pointers, only once per command).

#include "history.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

static char* s_entries[HISTORY_LIMIT];
static size_t s_count;

void history_add(const char* command)
{
    size_t length = strlen(command);
    while (length > 0 && (command[length - 1] == '\n' || command[length - 1] == ' '))
        --length;
    if (length == 0)
        return;
    if (s_count > 0 && strlen(s_entries[s_count - 1]) == length
        && strncmp(s_entries[s_count - 1], command, length) == 0)
        return;
    if (s_count == HISTORY_LIMIT) {
        free(s_entries[0]);
        memmove(s_entries, s_entries + 1, (HISTORY_LIMIT - 1) * sizeof(char*));
        --s_count;
    }
    s_entries[s_count++] = xstrndup(command, length);
}

size_t history_count(void)
{
    return s_count;
}

const char* history_entry(size_t index)
{
    return index < s_count ? s_entries[index] : "";
}
