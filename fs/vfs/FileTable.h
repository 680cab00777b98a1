#pragma once

// A process's file descriptor table: small integers naming shared open file
// descriptions, each with its own FD_CLOEXEC flag (POSIX open/dup/fcntl).
//
// Rules, as Linux: a new fd is the lowest free one (at or above a minimum
// for F_DUPFD); the table holds at most `limit` fds (EMFILE beyond, the
// RLIMIT_NOFILE of 1024 by default); a bad fd is EBADF. dup2(fd, fd) checks
// fd and returns it; dup3(fd, fd) is EINVAL. dup2/dup3 over an open fd close
// it as part of the same step. Closing drops the description reference; the
// description dies with its last fd in any process.
//
// Locking: m_lock (a spinlock) guards the slot array. Growing allocates the
// bigger array before taking the lock and swaps it in under the lock;
// descriptions displaced by close/dup2 are released after the lock is
// dropped (their destructors may call into filesystems).
#include <fs/vfs/OpenFile.h>
#include <kernel/lib/Spinlock.h>

namespace fs {

enum class CloseOnExec : u8 {
    No,
    Yes,
};

class FileTable {
public:
    static constexpr u32 DEFAULT_LIMIT = 1024;

    explicit FileTable(u32 limit = DEFAULT_LIMIT);
    ~FileTable();
    FileTable(const FileTable&) = delete;
    FileTable& operator=(const FileTable&) = delete;

    // Installs `file` at the lowest free fd >= `minimum` (EINVAL if minimum
    // is past the limit: F_DUPFD's rule).
    ErrorOr<int> allocate(NonnullRefPtr<OpenFile> file, CloseOnExec close_on_exec, int minimum = 0);
    ErrorOr<NonnullRefPtr<OpenFile>> get(int fd) const;
    // True if `fd` is open (for /proc/<pid>/fd listings; takes no reference).
    bool is_open(int fd) const;
    ErrorOr<void> close(int fd);

    ErrorOr<int> dup(int fd);
    ErrorOr<int> dup2(int old_fd, int new_fd);
    // `flags` may only hold O_CLOEXEC.
    ErrorOr<int> dup3(int old_fd, int new_fd, u32 flags);
    // F_DUPFD and F_DUPFD_CLOEXEC.
    ErrorOr<int> dup_at_least(int fd, int minimum, CloseOnExec close_on_exec);

    // F_GETFD / F_SETFD (FD_CLOEXEC is the only fd flag).
    ErrorOr<bool> close_on_exec(int fd) const;
    ErrorOr<void> set_close_on_exec(int fd, CloseOnExec close_on_exec);

    // execve: closes every fd marked close-on-exec.
    void close_on_exec_sweep();
    // fork: fills this (empty) table with the same descriptions and flags.
    ErrorOr<void> copy_from(const FileTable& other);
    void close_all();

    u32 limit() const { return m_limit; }
    usize open_count() const;

private:
    struct Slot {
        RefPtr<OpenFile> file;
        bool close_on_exec { false };
    };

    // Makes the array at least `needed` slots long (allocating outside the lock).
    ErrorOr<void> ensure_capacity(usize needed);
    // Installs into `fd`, displacing what was there into `displaced`.
    void install_locked(int fd, RefPtr<OpenFile> file, bool close_on_exec, RefPtr<OpenFile>& displaced);
    int lowest_free_locked(usize minimum) const;

    mutable Spinlock m_lock;
    Slot* m_slots { nullptr }; // guarded by m_lock
    usize m_capacity { 0 };    // guarded by m_lock
    u32 m_limit;
};

} // namespace fs
