#pragma once

// Shell variables. Each has a value (or none, for a name that was exported
// before being set) and an export flag; exported variables with a value form
// the environment of every program the shell runs. The environment the shell
// started with is imported as exported variables.

#include "util.h"

void variables_import(char** environment);
const char* variable_get(const char* name);
// Sets the value, keeping the export flag.
void variable_set(const char* name, const char* value);
void variable_export(const char* name);
void variable_unset(const char* name);
// Builds "NAME=value" strings of the exported variables into `out`;
// `overrides` ("NAME=value" strings, for `NAME=value command`) replace or add
// entries. The caller frees `out` with string_list_free.
void variables_environment(const StringList* overrides, StringList* out);
// `export` with no arguments: export NAME='value' lines, sorted by name.
void variables_print_exported(void);
