#pragma once

// Filling the stat(2) structure (kernel/api/stat.h) from VFS attributes, for
// the stat family of system calls. struct stat is only declared here, so this
// header stays includable next to a host libc's <sys/stat.h> (whose x86_64
// layout is the same 144 bytes; the unit tests rely on that to check ours).
#include <fs/vfs/Types.h>

struct stat;

namespace fs {

void fill_stat(const Attributes& attributes, struct stat& out);

} // namespace fs
