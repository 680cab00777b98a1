#pragma once

// The kernel's handle table: HandleTable over port endpoints.
#include <ipc/HandleTable.h>
#include <ipc/Port.h>

namespace ipc {

class HandleSpace : public HandleTable<PortRef> {
public:
    using HandleTable::HandleTable;
};

using HandleEntry = HandleTable<PortRef>::Entry;

} // namespace ipc
