#pragma once

// Shell wildcard matching for find -name (fnmatch without flags): * ? and
// bracket expressions [abc] [a-z] [!x] [^x]; a backslash quotes the next
// character. A leading dot is matched by wildcards too, as find does.

#include <stdbool.h>

bool pattern_match(const char* pattern, const char* name);
