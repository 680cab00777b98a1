// Finding a Location's path by searching its filesystem; see FdPath.h.
#include <fs/procfs/FdPath.h>
#include <fs/vfs/Types.h>
#include <kernel/lib/Allocator.h>

namespace fs::procfs {

namespace {

// Takes exactly one entry per read_directory call, so the caller can recurse
// between calls (the entry's name is valid only during visit()).
class OneEntry final : public DirectoryVisitor {
public:
    bool visit(const DirectoryEntry& entry) override
    {
        if (m_taken)
            return false;
        m_taken = true;
        m_length = min(entry.name.length(), sizeof(m_name));
        __builtin_memcpy(m_name, entry.name.characters(), m_length);
        m_type = entry.type;
        m_inode = entry.inode;
        return true;
    }

    bool taken() const { return m_taken; }
    StringView name() const { return { m_name, m_length }; }
    FileType type() const { return m_type; }
    u64 inode() const { return m_inode; }

private:
    bool m_taken { false };
    char m_name[MAX_NAME_LENGTH];
    usize m_length { 0 };
    FileType m_type { FileType::Unknown };
    u64 m_inode { 0 };
};

struct Search {
    u64 inode;
    char* path;   // MAX_PATH_LENGTH bytes
    usize length; // of the path built so far
};

// Appends "/name" to the path; false when it does not fit.
bool push(Search& search, StringView name)
{
    if (search.length + 1 + name.length() >= MAX_PATH_LENGTH)
        return false;
    search.path[search.length++] = '/';
    __builtin_memcpy(search.path + search.length, name.characters(), name.length());
    search.length += name.length();
    return true;
}

bool find(Search& search, Vnode& directory, usize depth)
{
    u64 cookie = 0;
    for (;;) {
        OneEntry entry;
        auto next = directory.read_directory(cookie, entry);
        if (next.is_error() || !entry.taken())
            return false;
        cookie = next.value();
        if (entry.name() == "." || entry.name() == "..")
            continue;
        usize saved = search.length;
        if (!push(search, entry.name()))
            continue;
        if (entry.inode() == search.inode)
            return true;
        if (entry.type() == FileType::Directory && depth + 1 < MAX_SEARCH_DEPTH) {
            if (auto child = directory.lookup(entry.name()); !child.is_error()) {
                if (find(search, *child.value(), depth + 1))
                    return true;
            }
        }
        search.length = saved;
    }
}

} // namespace

bool write_path(FormatSink& sink, const Location& location)
{
    if (!location.is_valid())
        return false;
    StringView prefix = location.mount->path();
    if (prefix == "/")
        prefix = {};
    if (location.vnode == location.mount->root()) {
        sink.write(prefix.is_empty() ? StringView("/") : prefix);
        return true;
    }
    auto* path = static_cast<char*>(lib::allocate(MAX_PATH_LENGTH, 1));
    if (!path)
        return false;
    Search search { location.vnode->inode_number(), path, 0 };
    bool found = find(search, *location.mount->root(), 0);
    if (found) {
        sink.write(prefix);
        sink.write({ path, search.length });
    }
    lib::deallocate(path);
    return found;
}

} // namespace fs::procfs
