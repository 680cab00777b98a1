#pragma once

// ramfs directories: a set of entries, each owning a reference to its node,
// indexed by name and by cookie (RamDirIndex).
//
// Every entry gets a cookie from a per-directory counter when it is linked
// (2, 3, ...; 0 and 1 are "." and ".."). The list stays in cookie order, so
// a listing resumed at cookie c continues with the first entry whose cookie
// is >= c, which the cookie index finds in O(log n): entries that stay for
// the whole listing are seen exactly once, whatever is added or removed
// meanwhile (a renamed entry gets a new cookie, as a new entry). Lookup by
// name is a hash lookup.
//
// Locking: the entry list and index, the parent pointer and m_next_cookie are guarded
// by the filesystem's tree lock. Each operation allocates what it needs (the
// new node, the entry with its name) first, takes the lock, checks and
// changes the tree, releases the lock, and only then frees what it removed.
// A removed directory has no parent and link count 0; creating in it is
// ENOENT, as in Linux.
#include <fs/ramfs/RamDirIndex.h>
#include <fs/ramfs/RamNode.h>
#include <kernel/lib/IntrusiveList.h>

namespace fs::ramfs {

struct RamDirEntry {
    static ErrorOr<RamDirEntry*> try_create(StringView name);
    ~RamDirEntry();

    StringView name() const { return { m_name, m_name_length }; }

    IntrusiveListNode m_list_node;
    RefPtr<RamNode> node;
    u64 cookie { 0 };
    // Links of the directory's RamDirIndex, and the name's hash it uses.
    u64 name_hash { 0 };
    RamDirEntry* m_hash_next { nullptr };
    RamDirEntry* m_tree_left { nullptr };
    RamDirEntry* m_tree_right { nullptr };

private:
    RamDirEntry(char* name, usize length);

    char* m_name;
    usize m_name_length;
};

using RamDirEntryList = IntrusiveList<RamDirEntry, &RamDirEntry::m_list_node>;

// Frees the entries of `list` and, iteratively, the subtrees only they hold.
void release_entries(RamDirEntryList& list);

class RamDirectory final : public RamNode {
public:
    static ErrorOr<NonnullRefPtr<RamDirectory>> try_create(RamFileSystem& file_system, u32 mode, NewOwner owner);
    ~RamDirectory() override;

    ErrorOr<NonnullRefPtr<Vnode>> lookup(StringView name) override;
    ErrorOr<NonnullRefPtr<Vnode>> create(StringView name, u32 mode, u64 rdev, NewOwner owner) override;
    ErrorOr<NonnullRefPtr<Vnode>> make_directory(StringView name, u32 mode, NewOwner owner) override;
    ErrorOr<NonnullRefPtr<Vnode>> make_symlink(StringView name, StringView target, NewOwner owner) override;
    ErrorOr<void> link(StringView name, Vnode& target) override;
    ErrorOr<void> unlink(StringView name) override;
    ErrorOr<void> remove_directory(StringView name) override;
    ErrorOr<void> rename(StringView old_name, Vnode& new_parent, StringView new_name, RenameMode mode) override;
    ErrorOr<void> exchange(StringView name, Vnode& other_parent, StringView other_name) override;
    ErrorOr<u64> read_directory(u64 cookie, DirectoryVisitor& visitor) override;

    // Makes this directory the root: its own parent, link count 2.
    void become_root();
    // Moves every entry to `list`; only for a directory nobody else
    // references (teardown), so it takes no lock.
    void move_entries_to(RamDirEntryList& list);

private:
    RamDirectory(RamFileSystem& file_system, u32 mode, NewOwner owner);
    void fill_size(Attributes& attributes) const override;

    RamDirEntry* find_locked(StringView name);
    // True if `directory` is this directory or one of its ancestors.
    bool is_below_locked(const RamDirectory& directory) const;
    bool is_removed_locked() const { return m_link_count == 0; }
    void append_locked(RamDirEntry& entry);
    void remove_locked(RamDirEntry& entry);
    // Grows the name index, if needed, so that one more entry fits; called
    // before taking the lock, as the last allocation of an operation, so
    // that its ENOMEM leaves the directory unchanged and nothing allocated.
    ErrorOr<void> reserve_index_slot();
    // Links a freshly made node under `name`: the shared tail of create,
    // make_directory and make_symlink.
    ErrorOr<void> insert_new(StringView name, const NonnullRefPtr<RamNode>& node);
    // The owner and mode of a new child: setgid directories pass on their group.
    NewOwner child_owner(NewOwner owner, u32& mode) const;

    RamDirEntryList m_entries;          // guarded by the tree lock
    RamDirIndex m_index;                // guarded by the tree lock
    RamDirectory* m_parent { nullptr }; // guarded by the tree lock; this for the root
    u64 m_next_cookie { 2 };            // guarded by the tree lock
};

} // namespace fs::ramfs
