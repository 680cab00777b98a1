#pragma once

// Command history of the interactive shell: the last HISTORY_LIMIT commands
// in memory, oldest first. Empty commands and a command equal to the one
// before it are not recorded.

#include <stddef.h>

#define HISTORY_LIMIT 500

void history_add(const char* command);
size_t history_count(void);
// 0 is the oldest entry.
const char* history_entry(size_t index);
