#pragma once

// Path helpers for cp, mv, ln, chmod and chown.

#include <stdbool.h>

bool path_is_directory(const char* path);
// The last component of `path`, ignoring trailing slashes ("a/b/" -> "b"),
// as a new string.
char* path_base_name(const char* path);
// "<directory>/<base name of source>", as a new string.
char* path_inside(const char* directory, const char* source);
// Calls visit("<directory>/<name>") for each entry but "." and ".."; false
// (errno set) when the directory cannot be opened.
bool path_visit_children(const char* directory, void (*visit)(const char* child));
