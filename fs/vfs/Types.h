#pragma once

// The plain values the VFS passes around: file types and mode bits, open
// flags, attributes (what stat reports), timestamps and credentials.
//
// The numbers are Linux's (kernel/api/stat.h, kernel/api/fcntl.h); they are
// repeated here as C++ constants with their own names because the UAPI
// headers are C macros that collide with a host libc's in the unit tests.
// fs/vfs/ApiCheck.cpp static_asserts that both spellings agree.
#include <kernel/lib/Types.h>

namespace fs {

// Mode bits (the low 16 bits of st_mode).
namespace mode {
inline constexpr u32 TypeMask = 0170000;
inline constexpr u32 Socket = 0140000;
inline constexpr u32 Symlink = 0120000;
inline constexpr u32 Regular = 0100000;
inline constexpr u32 BlockDevice = 0060000;
inline constexpr u32 Directory = 0040000;
inline constexpr u32 CharacterDevice = 0020000;
inline constexpr u32 Fifo = 0010000;
inline constexpr u32 SetUid = 0004000;
inline constexpr u32 SetGid = 0002000;
inline constexpr u32 Sticky = 0001000;
inline constexpr u32 PermissionMask = 0007777; // permissions plus setuid, setgid, sticky
} // namespace mode

enum class FileType : u8 {
    Unknown,
    Regular,
    Directory,
    Symlink,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
};

constexpr FileType file_type_of(u32 mode)
{
    switch (mode & mode::TypeMask) {
    case mode::Regular:
        return FileType::Regular;
    case mode::Directory:
        return FileType::Directory;
    case mode::Symlink:
        return FileType::Symlink;
    case mode::CharacterDevice:
        return FileType::CharacterDevice;
    case mode::BlockDevice:
        return FileType::BlockDevice;
    case mode::Fifo:
        return FileType::Fifo;
    case mode::Socket:
        return FileType::Socket;
    default:
        return FileType::Unknown;
    }
}

// The DT_* value getdents64 reports for a type.
u8 dirent_type_of(FileType type);

// open(2) flags, Linux values.
namespace open_flag {
inline constexpr u32 AccessMask = 03;
inline constexpr u32 ReadOnly = 00;
inline constexpr u32 WriteOnly = 01;
inline constexpr u32 ReadWrite = 02;
inline constexpr u32 Create = 0100;
inline constexpr u32 Exclusive = 0200;
inline constexpr u32 NoControllingTty = 0400;
inline constexpr u32 Truncate = 01000;
inline constexpr u32 Append = 02000;
inline constexpr u32 NonBlocking = 04000;
inline constexpr u32 LargeFile = 0100000;
inline constexpr u32 Directory = 0200000;
inline constexpr u32 NoFollow = 0400000;
inline constexpr u32 NoAtime = 01000000; // reads through it leave the atime (owner or root only)
inline constexpr u32 CloseOnExec = 02000000;
inline constexpr u32 Path = 010000000;
// The flags F_SETFL may change (Linux fs/fcntl.c SETFL_MASK, less the ones
// Osprey has no use for yet).
inline constexpr u32 StatusChangeable = Append | NonBlocking;
} // namespace open_flag

// Access the caller wants, as the rwx bits of a permission triple.
namespace access {
inline constexpr u32 Execute = 1;
inline constexpr u32 Write = 2;
inline constexpr u32 Read = 4;
} // namespace access

inline constexpr usize MAX_NAME_LENGTH = 255;  // NAME_MAX
inline constexpr usize MAX_PATH_LENGTH = 4096; // PATH_MAX, counting the NUL
inline constexpr u32 MAX_SYMLINK_HOPS = 40;    // MAXSYMLINKS

struct Timespec {
    i64 seconds { 0 };
    i64 nanoseconds { 0 };
    bool operator==(const Timespec&) const = default;
};

// What stat reports, filesystem-neutral.
struct Attributes {
    u64 device { 0 }; // st_dev: the filesystem's id
    u64 inode { 0 };
    u32 mode { 0 }; // type and permission bits
    u32 link_count { 0 };
    u32 uid { 0 };
    u32 gid { 0 };
    u64 rdev { 0 };
    u64 size { 0 };
    u64 blocks { 0 }; // 512-byte units actually allocated
    u32 block_size { 4096 };
    Timespec access_time;
    Timespec modify_time;
    Timespec change_time;

    FileType type() const { return file_type_of(mode); }
    bool is_directory() const { return type() == FileType::Directory; }
    bool is_symlink() const { return type() == FileType::Symlink; }
    bool is_regular() const { return type() == FileType::Regular; }
};

// A partial attribute update (chmod, chown, utimensat). Size changes go
// through Vnode::truncate.
struct AttributeChange {
    bool set_mode { false };
    u32 mode { 0 }; // permission bits only; the type never changes
    bool set_uid { false };
    u32 uid { 0 };
    bool set_gid { false };
    u32 gid { 0 };
    bool set_access_time { false };
    Timespec access_time;
    bool set_modify_time { false };
    Timespec modify_time;
    // An atime update from an access (AccessTime.h): ctime stays as it is.
    bool keep_change_time { false };
};

// Who is asking: the filesystem identity of a process (Linux fsuid/fsgid,
// which follow the effective ids) and its supplementary groups.
struct Credentials {
    static constexpr usize MAX_GROUPS = 32;

    u32 uid { 0 };
    u32 gid { 0 };
    u32 groups[MAX_GROUPS] {};
    u32 group_count { 0 };

    bool is_root() const { return uid == 0; }
    bool in_group(u32 group) const
    {
        if (group == gid)
            return true;
        for (u32 i = 0; i < group_count && i < MAX_GROUPS; ++i) {
            if (groups[i] == group)
                return true;
        }
        return false;
    }

    static Credentials root() { return {}; }
    static Credentials user(u32 uid, u32 gid)
    {
        Credentials credentials;
        credentials.uid = uid;
        credentials.gid = gid;
        return credentials;
    }
};

// Where filesystems get the time for timestamps. The kernel installs
// ktime::monotonic_ns (there is no wall clock yet, so the epoch is boot);
// until a hook is set, every timestamp is 0.
void set_clock(u64 (*now_ns)());
Timespec current_time();

} // namespace fs
