#pragma once

// Applying redirections to this process's file descriptors. In a child the
// changes are permanent; for a builtin run in the shell itself, every fd is
// first saved (a close-on-exec copy at 10 or above) so redirections_undo can
// put things back afterwards.

#include "parser.h"
#include <stdbool.h>

typedef struct {
    int fd;
    int saved; // the copy, or -1 if fd was closed
} SavedFd;

typedef struct {
    SavedFd* entries;
    size_t count;
} RedirectUndo;

// Applies the redirections in order. Returns false after reporting an error
// ("sh: file: No such file or directory"); those already applied stay (the
// caller undoes them or exits). `undo` may be null.
bool redirections_apply(const Redirect* redirects, size_t count, RedirectUndo* undo);
void redirections_undo(RedirectUndo* undo);
