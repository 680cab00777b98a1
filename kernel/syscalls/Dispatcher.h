#pragma once

// The system-call dispatcher: one table, generated from
// OSPREY_ENUMERATE_SYSCALLS (kernel/api/syscalls.h), maps a number to its
// name and handler. Handlers live one family per file in kernel/syscalls/
// and return ErrorOr<u64>; dispatch() turns an error into -errno in this one
// place (STYLE rule 6).
//
// The number is the low 32 bits of RAX, as on Linux (arch/x86/entry/
// common.c treats it as an int): anything not in the table, or in it without
// a handler, answers -ENOSYS.
#include <kernel/lib/Error.h>
#include <kernel/lib/StringView.h>

namespace syscalls {

// The six arguments of the Linux convention: RDI, RSI, RDX, R10, R8, R9.
struct Arguments {
    u64 values[6];

    u64 operator[](usize index) const { return values[index]; }
};

using Handler = ErrorOr<u64> (*)(const Arguments& arguments);

// Runs system call `number` for the current program; returns what goes back
// in RAX.
i64 dispatch(u64 number, const Arguments& arguments);

struct TableEntry {
    u32 number;
    StringView name;
    bool implemented;
};
// Visits the table in number order (for kshell's `syscalls`).
void for_each_syscall(void (*visit)(const TableEntry& entry, void* context), void* context);
// The name of `number`, or an empty view.
StringView syscall_name(u64 number);

} // namespace syscalls
