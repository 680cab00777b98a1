#pragma once

// Path helpers for cp, mv and ln.

#include <stdbool.h>

bool path_is_directory(const char* path);
// The last component of `path`, ignoring trailing slashes ("a/b/" -> "b"),
// as a new string.
char* path_base_name(const char* path);
// "<directory>/<base name of source>", as a new string.
char* path_inside(const char* directory, const char* source);
