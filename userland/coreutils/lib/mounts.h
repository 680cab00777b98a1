#pragma once

// Reading /proc/mounts for mount and df: one entry per line, "source target
// type options dump pass", with Linux's octal escapes (\040 for a space)
// undone.

#include <stdbool.h>
#include <stdio.h>

typedef struct {
    char source[256];
    char target[4096];
    char type[64];
    char options[256];
} MountEntry;

// Opens /proc/mounts (NULL with errno set).
FILE* mounts_open(void);
// The next entry; false at the end.
bool mounts_next(FILE* file, MountEntry* entry);
