#pragma once

// The kernel's data source for procfs (ProcfsSource.cpp).
#include <fs/procfs/Provider.h>

namespace proc {

fs::procfs::Provider& procfs_provider();

} // namespace proc
