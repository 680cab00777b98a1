#pragma once

// procfs: the read-only filesystem mounted on /proc. Nothing is stored: every
// read generates its text from a Provider (Provider.h) at that moment, every
// directory listing asks the Provider which processes live.
//
//   /proc/{meminfo,uptime,cpuinfo,mounts,dmesg}  text files (Text.h)
//   /proc/self                                  symlink to the caller's pid
//   /proc/<pid>/{status,cmdline}                text files
//   /proc/<pid>/fd/<n>                          symlinks to the open file
//
// Vnodes are made on lookup and hold only (kind, pid, fd); a vnode of a
// process that has exited answers ENOENT. Inode numbers encode that triple,
// so the same file always has the same number. Every change is refused with
// EPERM (the VFS already refuses non-root callers by the 0555/0444 modes).
//
// Locking: none here; the Provider copies what it reports under its own locks.
#include <fs/procfs/Provider.h>
#include <fs/vfs/FileSystem.h>
#include <fs/vfs/Vnode.h>

namespace fs::procfs {

class ProcFileSystem final : public FileSystem {
public:
    static ErrorOr<NonnullRefPtr<ProcFileSystem>> try_create(Provider& provider);
    ~ProcFileSystem() override;

    StringView name() const override { return "proc"; }
    u64 magic() const override { return magic::Proc; } // PROC_SUPER_MAGIC
    NonnullRefPtr<Vnode> root() override;
    Provider& provider() const { return m_provider; }

private:
    explicit ProcFileSystem(Provider& provider)
        : m_provider(provider)
    {
    }

    Provider& m_provider;
    RefPtr<Vnode> m_root;
};

} // namespace fs::procfs
