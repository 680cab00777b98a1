#pragma once

// Builtins: commands that must change the shell itself, run in the shell
// process (or in a child when part of a pipeline). Each returns its exit
// status and reports errors as "sh: <builtin>: <message>".
//
//   cd [dir|-]  pwd  exit [n]  export [name[=value]...]  unset name...
//   jobs  fg [job]  bg [job]  wait [job|pid...]  history

typedef int (*BuiltinFunction)(int argc, char** argv);

// Null if `name` is not a builtin.
BuiltinFunction builtin_find(const char* name);
// The builtin names, null-terminated (for tab completion and help).
extern const char* const g_builtin_names[];
