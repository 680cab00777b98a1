#pragma once

// The page-fault hook for user addresses (called by the x86 exception
// handler with interrupts off): demand paging and copy-on-write in the
// current process's memory. Returns true when the access can be retried;
// false for a bad access (the caller then sends SIGSEGV, or takes the
// user-copy fixup, EFAULT). When memory has run out for a valid access
// from user mode, the process is killed with SIGKILL and this does not
// return.
//
// An access to a page of a file mapping that lies wholly past the end of
// the file is not resolved either; `bus_error` (if given) is then set, and
// the caller sends SIGBUS with BUS_ADRERR instead, as Linux does.
#include <kernel/lib/Types.h>

namespace proc {

bool handle_page_fault(VirtAddr address, u64 error_code, bool* bus_error = nullptr);

} // namespace proc
