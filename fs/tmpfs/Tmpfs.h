#pragma once

// tmpfs: a ramfs (fs/ramfs) with tmpfs's name and statfs magic, a root of
// mode 01777 unless told otherwise, and a limit on the memory its files use.
//
// Mount options, as Linux's tmpfs takes them (comma separated):
//   size=<n>[k|m|g]  the limit in bytes, rounded up to pages (0 = none);
//   mode=<octal>     the root directory's permissions.
// Anything else is EINVAL, as on Linux. Without size= the limit is half of
// physical memory, Linux's default.
#include <fs/ramfs/RamFileSystem.h>

namespace fs::tmpfs {

struct Options {
    u64 page_limit { 0 };
    u32 root_mode { 01777 };
};

// Parses `text` (the mount data); `default_pages` is the limit without size=.
ErrorOr<Options> parse_options(StringView text, u64 default_pages);
ErrorOr<NonnullRefPtr<ramfs::RamFileSystem>> try_create(const Options& options);

} // namespace fs::tmpfs
