#pragma once

// Command substitution: runs `source` in a forked subshell with its stdout on
// a pipe and returns the output without its trailing newlines. Sets
// g_shell.substitution_status to the subshell's status.
char* command_substitution(const char* source);
