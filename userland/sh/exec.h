#pragma once

// The executor: walks the syntax tree, runs builtins in the shell and
// everything else in child processes, one job per pipeline.

#include "parser.h"

// Runs the items of a list in order; returns the last status (also in $?).
// Stops early after `exit`, or, in an interactive shell, after a job was
// interrupted with Ctrl-C.
int execute_list(const List* list);

// In a child: runs an external program (PATH search, or a path with a '/'),
// with the exported variables plus `assignments` as its environment. A file
// that is not an executable runs as a shell script ("#!" lines honoured).
// Reports failures like bash: "sh: foo: command not found" (127), "sh: ./x:
// Permission denied" (126).
_Noreturn void execute_external(char** argv, const StringList* assignments);
