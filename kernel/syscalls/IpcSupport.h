#pragma once

// Pieces the capability IPC handlers share (Ipc.cpp, IpcMessages.cpp).
#include <ipc/HandleSpace.h>
#include <kernel/syscalls/Handlers.h>

namespace syscalls {

// The caller's handle table (made on first use: ENOMEM).
inline ErrorOr<ipc::HandleSpace*> current_handles()
{
    return current_process().handles().space();
}

// A handle argument: an int; anything wider names no handle.
inline i32 handle_argument(u64 value)
{
    return value > 0x7fffffffu ? -1 : static_cast<i32>(value);
}

// The port behind `handle` if it carries `required` (EBADF, ETIME, EACCES).
inline ErrorOr<NonnullRefPtr<ipc::Port>> port_with_rights(ipc::HandleSpace& space, i32 handle, ipc::Rights required)
{
    ipc::HandleEntry* entry = TRY(space.lookup(handle, required));
    return NonnullRefPtr<ipc::Port>(*entry->object.port());
}

} // namespace syscalls
