#pragma once

// A vnode is the VFS's handle on one file of one filesystem (a regular file,
// a directory, a symlink, a device node). Filesystems subclass it and
// override the operations that make sense for the file's type; the defaults
// give the error Linux gives for that type (ENOTDIR for directory operations
// on a non-directory, EISDIR for data operations on a directory, EINVAL for
// readlink on a non-symlink).
//
// Contract with the VFS (fs/vfs/Vfs.cpp):
//   - The VFS checks permissions, mount points and path syntax; a vnode
//     operation only enforces what its own filesystem's consistency needs
//     (EEXIST, ENOENT, ENOTEMPTY, EINVAL for a directory moved into itself,
//     EISDIR/ENOTDIR for a rename between different types) and does so
//     atomically with the change.
//   - Names passed in are single components: never empty, ".", "..", never
//     containing '/', at most MAX_NAME_LENGTH bytes. lookup("..") is the
//     exception: it returns the parent (the directory itself at the root;
//     ENOENT for a removed directory).
//   - Modes passed to create/make_directory already have the umask applied.
//
// Vnodes are reference counted (RefPtr). A file stays alive, readable and
// writable while a reference exists even after its last name is unlinked;
// a filesystem that keeps vnodes in a map of its own (ext4) hears about
// every dropped reference (FileSystem::vnode_unreferenced) so that it frees
// such a file when the last reference other than its own goes.
// A live-vnode counter (live_vnode_count) lets tests prove nothing leaks.
#include <fs/vfs/Types.h>
#include <kernel/lib/Error.h>
#include <kernel/lib/RefPtr.h>
#include <kernel/lib/Span.h>
#include <kernel/lib/StringView.h>

namespace fs {

class CachedPages;
class FileSystem;
class OpenFile;
struct Location;

// One directory entry as read_directory reports it. `name` is valid only
// during the visit call.
struct DirectoryEntry {
    StringView name;
    u64 inode;
    FileType type;
    u64 next_cookie; // the cookie to resume after this entry
};

class DirectoryVisitor {
public:
    // Returns false to stop before this entry (e.g. the caller's buffer is
    // full); the entry is then not consumed.
    virtual bool visit(const DirectoryEntry& entry) = 0;

protected:
    ~DirectoryVisitor() = default;
};

// Owner of a new file: the creator's uid and gid (the filesystem applies
// setgid-directory inheritance itself).
struct NewOwner {
    u32 uid;
    u32 gid;
};

enum class WriteMode : u8 {
    AtOffset,
    Append, // at the end of the file, atomically with finding the end
};

// rename's treatment of an existing target: replaced (rename(2)), or EEXIST
// (renameat2's RENAME_NOREPLACE), decided atomically with the rename.
enum class RenameMode : u8 {
    Replace,
    NoReplace,
};

struct WriteResult {
    usize written;
    u64 end_offset; // the offset just past the last byte written
};

class Vnode : public RefCounted<Vnode> {
public:
    virtual ~Vnode();

    // RefCounted's unref, then FileSystem::vnode_unreferenced() if the
    // vnode lives on and its filesystem wants to know (hides the base's).
    bool unref() const;
    // Called by a filesystem going away while this vnode is still held (only
    // host tests do that): later unrefs no longer notify it.
    void forget_file_system() { m_file_system_gone.store(true, MemoryOrder::Release); }

    FileSystem& file_system() const { return m_file_system; }
    u64 inode_number() const { return m_inode_number; }
    FileType type() const { return m_type; }
    bool is_directory() const { return m_type == FileType::Directory; }
    bool is_symlink() const { return m_type == FileType::Symlink; }
    bool is_regular() const { return m_type == FileType::Regular; }

    // getattr and setattr.
    virtual Attributes attributes() const = 0;
    virtual ErrorOr<void> set_attributes(const AttributeChange& change) = 0;

    // Directory operations.
    virtual ErrorOr<NonnullRefPtr<Vnode>> lookup(StringView name);
    // Makes a non-directory node; `mode` carries its type (0 means regular).
    virtual ErrorOr<NonnullRefPtr<Vnode>> create(StringView name, u32 mode, u64 rdev, NewOwner owner);
    virtual ErrorOr<NonnullRefPtr<Vnode>> make_directory(StringView name, u32 mode, NewOwner owner);
    virtual ErrorOr<NonnullRefPtr<Vnode>> make_symlink(StringView name, StringView target, NewOwner owner);
    // Adds a name for `target` (same filesystem, not a directory).
    virtual ErrorOr<void> link(StringView name, Vnode& target);
    // Removes a name of a non-directory (EISDIR for a directory).
    virtual ErrorOr<void> unlink(StringView name);
    // Removes an empty directory (ENOTDIR for other types, ENOTEMPTY).
    virtual ErrorOr<void> remove_directory(StringView name);
    // Moves `old_name` here to `new_name` in `new_parent` (same filesystem),
    // replacing a compatible existing target as rename(2) does, or failing
    // with EEXIST if there is one (RenameMode::NoReplace).
    virtual ErrorOr<void> rename(StringView old_name, Vnode& new_parent, StringView new_name, RenameMode mode);
    ErrorOr<void> rename(StringView old_name, Vnode& new_parent, StringView new_name)
    {
        return rename(old_name, new_parent, new_name, RenameMode::Replace);
    }
    // renameat2(RENAME_EXCHANGE): swaps the nodes `name` here and
    // `other_name` in `other_parent` name (same filesystem, both exist).
    // EINVAL where the filesystem cannot (the default), as Linux.
    virtual ErrorOr<void> exchange(StringView name, Vnode& other_parent, StringView other_name);
    // Visits entries from `cookie` (0 = the start, "." and ".." first);
    // returns the cookie to continue from. Entries present for the whole
    // listing are seen exactly once even while others come and go.
    virtual ErrorOr<u64> read_directory(u64 cookie, DirectoryVisitor& visitor);

    // Regular file operations.
    virtual ErrorOr<usize> read(u64 offset, Bytes buffer);
    virtual ErrorOr<WriteResult> write(u64 offset, ReadonlyBytes data, WriteMode mode);
    virtual ErrorOr<void> truncate(u64 size);

    // Symlink operation: copies up to buffer.size() bytes of the target.
    virtual ErrorOr<usize> read_link(Bytes buffer);

    // fsync/fdatasync: makes this file's data (and metadata unless
    // `data_only`) durable. Memory-only filesystems have nothing to do.
    virtual ErrorOr<void> sync(bool data_only);

    // The page cache of a mapped file (CachedPages.h), or null. Installed
    // once by the cache (kernel/user/FilePages.cpp, under its lock), owned
    // and deleted by this vnode.
    CachedPages* cached_pages() const { return __atomic_load_n(&m_cached_pages, __ATOMIC_ACQUIRE); }
    void set_cached_pages(CachedPages* cache) { __atomic_store_n(&m_cached_pages, cache, __ATOMIC_RELEASE); }

    // The open file description open(2) makes for this vnode at `location`
    // (after the VFS's checks): a VnodeFile unless the filesystem has its
    // own kind, as devfs's device nodes do.
    virtual ErrorOr<NonnullRefPtr<OpenFile>> open_file(Location location, u32 flags);

protected:
    Vnode(FileSystem& file_system, u64 inode_number, FileType type);

private:
    FileSystem& m_file_system;
    u64 m_inode_number;
    FileType m_type;
    CachedPages* m_cached_pages { nullptr };
    Atomic<bool> m_file_system_gone { false };
};

// Vnodes alive right now, over every filesystem (a debugging counter).
i64 live_vnode_count();

} // namespace fs
