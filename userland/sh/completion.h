#pragma once

// Tab completion for the line editor. The word before the cursor is
// completed as a command name (builtins and executables on PATH) when it is
// in command position and has no '/', and as a path otherwise. Candidates
// are whole replacement words, with shell metacharacters escaped and a '/'
// after directories.

#include "util.h"

typedef struct {
    StringList candidates; // sorted, without duplicates
    size_t word_start;     // the word being completed is line[word_start..cursor)
} Completion;

void completion_find(const char* line, size_t cursor, Completion* out);
void completion_free(Completion* completion);
// The longest prefix shared by all candidates (a new string).
char* completion_common_prefix(const Completion* completion);
