#pragma once

// An open file description (POSIX's term; Linux's struct file): what an fd
// points at. Several fds, in one process (dup) or several (fork), may share
// one description and with it the offset and status flags.
//
// OpenFile is abstract so pipes, sockets and terminals can be other kinds of
// description with the same fd table; the defaults are what such a kind
// answers when it lacks an operation (ESPIPE for seeking, ENOTTY for ioctl,
// ENOTDIR for directory reads). VnodeFile is the kind for files that live in
// a filesystem (regular files, directories, symlinks opened with O_PATH
// later, device nodes until devfs gives them their own kinds).
//
// Nothing here blocks: a kind that would have to wait returns EAGAIN until
// wait queues exist (the scheduler).
//
// Locking: the status flags are an atomic word. VnodeFile's offset is
// guarded by m_offset_lock, a spinlock, held only to read or update the
// offset: the I/O itself runs unlocked (the filesystem locks its data), so
// two threads reading through one description at once may read the same
// bytes. Linux serializes them with a sleeping f_pos lock; Osprey will too
// once it has sleeping mutexes.
#include <fs/vfs/Mount.h>
#include <fs/vfs/Types.h>
#include <kernel/lib/Atomic.h>
#include <kernel/lib/Spinlock.h>

namespace fs {

// poll(2) event bits, Linux values.
namespace poll_event {
inline constexpr u32 In = 0x001;
inline constexpr u32 Priority = 0x002;
inline constexpr u32 Out = 0x004;
inline constexpr u32 Error = 0x008;
inline constexpr u32 HangUp = 0x010;
} // namespace poll_event

enum class SeekFrom : u8 {
    Start = 0,   // SEEK_SET
    Current = 1, // SEEK_CUR
    End = 2,     // SEEK_END
};

class OpenFile : public RefCounted<OpenFile> {
public:
    virtual ~OpenFile();

    // Access mode and status flags as open(2) and F_GETFL report them.
    u32 flags() const { return m_flags.load(MemoryOrder::Relaxed); }
    // F_SETFL: changes only the flags in open_flag::StatusChangeable.
    void set_status_flags(u32 flags);
    bool is_readable() const;
    bool is_writable() const;

    virtual ErrorOr<usize> read(Bytes buffer) = 0;
    virtual ErrorOr<usize> write(ReadonlyBytes data) = 0;
    virtual ErrorOr<usize> pread(u64 offset, Bytes buffer);
    virtual ErrorOr<usize> pwrite(u64 offset, ReadonlyBytes data);
    virtual ErrorOr<u64> seek(i64 offset, SeekFrom whence);
    virtual ErrorOr<Attributes> stat() const = 0;
    virtual ErrorOr<void> truncate(u64 size);
    virtual ErrorOr<uptr> ioctl(u32 request, uptr argument);
    // Fills `buffer` with linux_dirent64 records (getdents64); 0 at the end.
    virtual ErrorOr<usize> read_directory(Bytes buffer);
    // The poll(2) events ready now (never waits).
    virtual u32 poll_readiness() const;
    // What this kind passes to readiness_changed() (Readiness.h) when its
    // readiness may change; kinds sharing state (a pipe's two ends) share it.
    virtual const void* readiness_key() const { return this; }
    // The filesystem location, for kinds that have one (fchdir, /proc fd links).
    virtual const Location* location() const { return nullptr; }
    // "file", "pipe", "socket"... for diagnostics.
    virtual StringView kind_name() const = 0;
    // Called by the last unref() before any destructor runs: the description
    // leaves every epoll interest list (Linux's eventpoll_release).
    void will_be_destroyed() const;

protected:
    explicit OpenFile(u32 flags);

private:
    Atomic<u32> m_flags;
};

class VnodeFile final : public OpenFile {
public:
    // `flags` are open(2)'s; creation flags are dropped here.
    static ErrorOr<NonnullRefPtr<VnodeFile>> try_create(Location location, u32 flags);

    ErrorOr<usize> read(Bytes buffer) override;
    ErrorOr<usize> write(ReadonlyBytes data) override;
    ErrorOr<usize> pread(u64 offset, Bytes buffer) override;
    ErrorOr<usize> pwrite(u64 offset, ReadonlyBytes data) override;
    ErrorOr<u64> seek(i64 offset, SeekFrom whence) override;
    ErrorOr<Attributes> stat() const override;
    ErrorOr<void> truncate(u64 size) override;
    ErrorOr<usize> read_directory(Bytes buffer) override;
    const Location* location() const override { return &m_location; }
    StringView kind_name() const override { return "file"; }

    Vnode& vnode() const { return *m_location.vnode; }
    u64 offset() const;

private:
    VnodeFile(Location location, u32 flags);

    Location m_location; // never changes
    mutable Spinlock m_offset_lock;
    u64 m_offset { 0 }; // guarded by m_offset_lock; a directory cookie for directories
};

// Descriptions alive right now (a debugging counter).
i64 live_open_file_count();

} // namespace fs
