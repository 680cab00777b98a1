#pragma once

// Permission checks from mode bits, owner and group, as Linux's
// generic_permission (fs/namei.c): the owner's triple if the caller owns the
// file, else the group's if the caller is in the file's group, else the
// others'. Root (uid 0, standing for CAP_DAC_OVERRIDE) may always read and
// write, may search any directory, and may execute a file only if some x bit
// is set. Errors are EACCES.
#include <fs/vfs/Types.h>
#include <kernel/lib/Error.h>

namespace fs {

// `wanted` is a mask of access::Read/Write/Execute.
ErrorOr<void> check_access(const Attributes& attributes, const Credentials& credentials, u32 wanted);

// The sticky-directory rule for unlink and rename (Linux may_delete /
// check_sticky): in a directory with the sticky bit, only the file's owner,
// the directory's owner or root may remove or replace an entry. EPERM.
ErrorOr<void> check_sticky(const Attributes& directory, const Attributes& victim, const Credentials& credentials);

// chmod/chown rules (Linux notify_change/chown_ok/inode_change_ok): only the
// owner or root may chmod; only root may change the owner; the owner may
// change the group to one of its own groups. EPERM.
ErrorOr<void> check_change(const Attributes& attributes, const AttributeChange& change, const Credentials& credentials);

} // namespace fs
