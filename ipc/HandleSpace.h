#pragma once

// The kernel's handle table: HandleTable over port endpoints.
#include <ipc/HandleTable.h>
#include <ipc/Port.h>
#include <kernel/time/Clock.h>

namespace ipc {

class HandleSpace : public HandleTable<PortRef> {
public:
    using HandleTable::HandleTable;

    // get() against the monotonic clock, read only for handles with an expiry.
    ErrorOr<HandleTable::Entry*> lookup(i32 handle, Rights required)
    {
        return get_at(handle, required, ktime::monotonic_ns);
    }
};

using HandleEntry = HandleTable<PortRef>::Entry;

} // namespace ipc
