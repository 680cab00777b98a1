#pragma once

// The capability side of a process (DESIGN "Processes": a process owns a
// capability table): its handle table, made on first use, and the hooks
// Process calls at fork, execve and exit (docs/ipc.md, "fork and execve"):
//   fork:   the child gets a copy of each handle that carries DUPLICATE,
//           under the same number, rights, expiry and flags; the others
//           stay with the parent alone;
//   execve: handles flagged IPC_CLOEXEC are closed, the others kept;
//   exit:   every handle is closed and the names the process registered
//           are withdrawn.
#include <kernel/lib/Error.h>

namespace ipc {

class HandleSpace;

class ProcessHandles {
public:
    ProcessHandles() = default;
    ProcessHandles(const ProcessHandles&) = delete;
    ProcessHandles& operator=(const ProcessHandles&) = delete;
    ~ProcessHandles();

    // The table, made on first use (ENOMEM).
    ErrorOr<HandleSpace*> space();

    ErrorOr<void> inherit_for_fork(const ProcessHandles& parent);
    void close_for_exec();
    void close_for_exit(i32 pid);

private:
    HandleSpace* m_space { nullptr };
};

} // namespace ipc
