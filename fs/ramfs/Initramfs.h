#pragma once

// Unpacking a cpio newc archive (fs/cpio/Newc.h) into a ramfs tree, and, in
// the kernel, making that tree the root filesystem.
//
// Each entry's name is taken relative to the root ("./etc/motd", "/etc/motd"
// and "etc/motd" are the same); missing parent directories are created
// (0755, root-owned); "." sets the root's own mode and owner. Regular files,
// directories, symlinks (the data is the target), device nodes, fifos and
// sockets are made with the archive's mode, uid, gid and mtime. Hard links
// (regular files sharing an inode number with nlink > 1) become links to one
// file; GNU cpio stores their data with the last name, so data is written
// whenever an entry of the group carries some.
//
// The archive is untrusted: an entry that cannot be made (a ".." component,
// a name that exists with another type, an unknown file type, ENOMEM) is
// skipped and counted in `errors`; a malformed archive stops the unpacking,
// keeps what was made so far and counts one more error. Nothing here panics.
#include <fs/ramfs/RamFileSystem.h>
#include <kernel/lib/Span.h>

namespace fs::ramfs {

struct UnpackStats {
    usize files { 0 };
    usize directories { 0 };
    usize symlinks { 0 };
    usize hard_links { 0 };
    usize special { 0 }; // devices, fifos, sockets
    u64 bytes { 0 };     // file data written
    usize errors { 0 };
    bool archive_malformed { false };
};

UnpackStats unpack_cpio(ReadonlyBytes archive, RamFileSystem& file_system);

} // namespace fs::ramfs

namespace fs {

// Kernel boot: unpacks `archive` into a fresh ramfs, mounts it as the root of
// vfs() (initializing it) and logs what it unpacked. Fails only when the
// ramfs or the mount cannot be made.
ErrorOr<ramfs::UnpackStats> mount_initramfs_root(ReadonlyBytes archive);

} // namespace fs
