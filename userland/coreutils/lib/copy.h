#pragma once

// Copying and removing file trees, for cp (-r) and mv (across file
// systems). Errors are reported with GNU's wording under g_program_name.

#include <stdbool.h>

typedef enum {
    CopyTopOnly,   // a directory source is refused ("-r not specified")
    CopyRecursive, // directories are copied with their contents; symbolic
                   // links are copied as links, not followed
} CopyDepth;

typedef enum {
    CopyNewAttributes,      // new files get the source's permissions less the umask
    CopyPreserveAttributes, // mode, owner (when allowed) and times are kept (mv)
} CopyAttributes;

// Copies `source` to exactly `destination` (the caller has already decided
// whether the destination is "into a directory"). Returns false if anything
// failed; the copy goes on with the other entries of a directory.
bool copy_tree(const char* source, const char* destination, CopyDepth depth, CopyAttributes attributes);

// Removes `path` and, if it is a directory, everything below it
// (without following symbolic links). Reports failures; returns false then.
bool remove_tree(const char* path);
