#pragma once

// A reader for cpio archives in the "new ASCII" (newc, magic 070701) and
// "new CRC" (070702) formats, as written by `cpio -o -H newc` and used for
// Linux initramfs images (Documentation/driver-api/early-userspace/
// buffer-format.rst).
//
// Each entry is a 110-byte header: the 6-byte magic, then 13 fields of 8 hex
// digits (ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor,
// rdevmajor, rdevminor, namesize, check); then the name, namesize bytes with
// its NUL, padded so header + name end on a multiple of 4; then filesize
// bytes of data padded to a multiple of 4. The entry named "TRAILER!!!" ends
// the archive. In 070702 archives `check` is the sum of a regular file's
// data bytes (GNU cpio writes 0 for other types and for the data-less names
// of a hard-link group; those are not checked).
//
// The archive is untrusted input: every field is checked, and anything
// malformed (bad magic, a non-hex digit, a name or data running past the end,
// a name without its NUL or with a NUL inside, a name longer than PATH_MAX,
// a bad checksum, an archive ending before its trailer) is EINVAL. The reader
// never reads outside the span it was given.
#include <kernel/lib/Error.h>
#include <kernel/lib/Span.h>
#include <kernel/lib/StringView.h>

namespace cpio {

inline constexpr usize HEADER_SIZE = 110;
inline constexpr usize MAX_NAME_SIZE = 4096; // with the NUL, as PATH_MAX

struct Entry {
    StringView name; // without the NUL; points into the archive
    u32 inode { 0 };
    u32 mode { 0 };
    u32 uid { 0 };
    u32 gid { 0 };
    u32 link_count { 0 };
    u32 mtime { 0 }; // seconds since the Unix epoch
    u32 dev_major { 0 };
    u32 dev_minor { 0 };
    u32 rdev_major { 0 };
    u32 rdev_minor { 0 };
    u32 check { 0 };
    ReadonlyBytes data; // points into the archive
};

class NewcReader {
public:
    explicit NewcReader(ReadonlyBytes archive)
        : m_archive(archive)
    {
    }

    // Reads the next entry into `entry`: true for an entry, false once the
    // trailer has been read (and from then on). EINVAL on malformed input;
    // the reader then stays failed.
    ErrorOr<bool> next(Entry& entry);

    // Where the next header starts (bytes from the start of the archive).
    usize offset() const { return m_offset; }

private:
    ReadonlyBytes m_archive;
    usize m_offset { 0 };
    bool m_done { false };
    bool m_failed { false };
};

} // namespace cpio
