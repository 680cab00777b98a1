// procfs's vnodes: one class, ProcNode, whose behaviour follows its kind.
// See ProcFileSystem.h for the tree and the inode numbering.
#include <fs/procfs/Devices.h>
#include <fs/procfs/ProcNodes.h>
#include <fs/procfs/Text.h>
#include <fs/vfs/Mount.h>
#include <kernel/lib/New.h>
#include <net/unix/Collector.h>
#include <net/unix/UnixSocket.h>

namespace fs::procfs {

namespace {

constexpr usize MAX_LISTED = 256; // pids or fds listed per directory read

struct TopEntry {
    StringView name;
    NodeKind kind;
};

constexpr TopEntry TOP_ENTRIES[] = {
    { "meminfo", NodeKind::Meminfo },
    { "uptime", NodeKind::Uptime },
    { "cpuinfo", NodeKind::Cpuinfo },
    { "mounts", NodeKind::Mounts },
    { "dmesg", NodeKind::Dmesg },
    { "partitions", NodeKind::Partitions },
    { "pci", NodeKind::Pci },
    { "self", NodeKind::Self },
    { "sockstat", NodeKind::Sockstat },
};
constexpr usize TOP_COUNT = sizeof(TOP_ENTRIES) / sizeof(TOP_ENTRIES[0]);

constexpr TopEntry PROCESS_ENTRIES[] = {
    { "status", NodeKind::Status },
    { "stat", NodeKind::Stat },
    { "cmdline", NodeKind::Cmdline },
    { "fd", NodeKind::FdDirectory },
    { "task", NodeKind::TaskDirectory },
};
constexpr usize PROCESS_ENTRY_COUNT = sizeof(PROCESS_ENTRIES) / sizeof(PROCESS_ENTRIES[0]);

constexpr TopEntry THREAD_ENTRIES[] = {
    { "status", NodeKind::ThreadStatus },
    { "stat", NodeKind::ThreadStat },
};
constexpr usize THREAD_ENTRY_COUNT = sizeof(THREAD_ENTRIES) / sizeof(THREAD_ENTRIES[0]);

// Cookies in the root: 0 ".", 1 "..", 2.. the fixed entries, then
// PID_COOKIE_BASE + pid, so a listing resumes at the next larger pid.
constexpr u64 PID_COOKIE_BASE = 2 + TOP_COUNT;

FileType type_of(NodeKind kind)
{
    switch (kind) {
    case NodeKind::Root:
    case NodeKind::ProcessDirectory:
    case NodeKind::FdDirectory:
    case NodeKind::TaskDirectory:
    case NodeKind::ThreadDirectory:
        return FileType::Directory;
    case NodeKind::Self:
    case NodeKind::FdLink:
        return FileType::Symlink;
    default:
        return FileType::Regular;
    }
}

u64 inode_of(NodeKind kind, i32 pid, i32 fd)
{
    switch (kind) {
    case NodeKind::ProcessDirectory:
    case NodeKind::Status:
    case NodeKind::Stat:
    case NodeKind::Cmdline:
    case NodeKind::FdDirectory:
        return 0x10000 + static_cast<u64>(pid) * 16 + static_cast<u64>(kind);
    case NodeKind::FdLink:
        return (1ull << 40) + (static_cast<u64>(pid) << 20) + static_cast<u64>(fd);
    case NodeKind::TaskDirectory:
        return (2ull << 40) + static_cast<u64>(pid);
    case NodeKind::ThreadDirectory:
    case NodeKind::ThreadStatus:
    case NodeKind::ThreadStat:
        // pid and tid below 2^18 each (PID_MAX is 32768).
        return (3ull << 40) + (static_cast<u64>(pid) << 20) + (static_cast<u64>(fd) << 2) + static_cast<u64>(kind)
            - static_cast<u64>(NodeKind::ThreadDirectory);
    default:
        return 1 + static_cast<u64>(kind);
    }
}

class ProcNode final : public Vnode {
public:
    ProcNode(ProcFileSystem& file_system, NodeKind kind, i32 pid, i32 fd)
        : Vnode(file_system, inode_of(kind, pid, fd), type_of(kind))
        , m_kind(kind)
        , m_pid(pid)
        , m_fd(fd)
    {
    }

    Attributes attributes() const override
    {
        Attributes attributes;
        attributes.device = file_system().device_id();
        attributes.inode = inode_number();
        ProcessSnapshot snapshot;
        if (m_pid && provider().snapshot_process(m_pid, snapshot)) {
            attributes.uid = snapshot.uid;
            attributes.gid = snapshot.gid;
        }
        switch (type()) {
        case FileType::Directory:
            attributes.mode = mode::Directory | 0555;
            attributes.link_count = 2;
            break;
        case FileType::Symlink:
            attributes.mode = mode::Symlink | 0777;
            attributes.link_count = 1;
            break;
        default:
            attributes.mode = mode::Regular | 0444;
            attributes.link_count = 1;
            break;
        }
        attributes.block_size = 1024;
        attributes.modify_time = attributes.access_time = attributes.change_time = current_time();
        return attributes;
    }

    ErrorOr<void> set_attributes(const AttributeChange&) override { return Error::from_errno(EPERM); }
    ErrorOr<NonnullRefPtr<Vnode>> create(StringView, u32, u64, NewOwner) override { return refuse(); }
    ErrorOr<NonnullRefPtr<Vnode>> make_directory(StringView, u32, NewOwner) override { return refuse(); }
    ErrorOr<NonnullRefPtr<Vnode>> make_symlink(StringView, StringView, NewOwner) override { return refuse(); }
    ErrorOr<void> link(StringView, Vnode&) override { return refuse_void(); }
    ErrorOr<void> unlink(StringView) override { return refuse_void(); }
    ErrorOr<void> remove_directory(StringView) override { return refuse_void(); }
    ErrorOr<void> rename(StringView, Vnode&, StringView, RenameMode) override { return refuse_void(); }
    ErrorOr<WriteResult> write(u64, ReadonlyBytes, WriteMode) override
    {
        return Error::from_errno(is_directory() ? EISDIR : EPERM);
    }
    ErrorOr<void> truncate(u64) override { return Error::from_errno(is_directory() ? EISDIR : EPERM); }

    ErrorOr<NonnullRefPtr<Vnode>> lookup(StringView name) override;
    ErrorOr<u64> read_directory(u64 cookie, DirectoryVisitor& visitor) override;
    ErrorOr<usize> read(u64 offset, Bytes buffer) override;
    ErrorOr<usize> read_link(Bytes buffer) override;

private:
    Provider& provider() const { return static_cast<ProcFileSystem&>(file_system()).provider(); }
    ProcFileSystem& proc() const { return static_cast<ProcFileSystem&>(file_system()); }
    ErrorOr<NonnullRefPtr<Vnode>> refuse() const { return Error::from_errno(is_directory() ? EPERM : ENOTDIR); }
    ErrorOr<void> refuse_void() const { return Error::from_errno(is_directory() ? EPERM : ENOTDIR); }
    bool process_exists() const
    {
        ProcessSnapshot snapshot;
        return provider().snapshot_process(m_pid, snapshot);
    }

    NodeKind m_kind;
    i32 m_pid;
    i32 m_fd;
};

ErrorOr<NonnullRefPtr<Vnode>> ProcNode::lookup(StringView name)
{
    i32 number = 0;
    switch (m_kind) {
    case NodeKind::Root:
        if (name == "..")
            return make_node(proc(), NodeKind::Root);
        for (const TopEntry& entry : TOP_ENTRIES) {
            if (entry.name == name)
                return make_node(proc(), entry.kind);
        }
        if (parse_number(name, number)) {
            ProcessSnapshot snapshot;
            if (provider().snapshot_process(number, snapshot))
                return make_node(proc(), NodeKind::ProcessDirectory, number);
        }
        return Error::from_errno(ENOENT);
    case NodeKind::ProcessDirectory:
        if (!process_exists())
            return Error::from_errno(ENOENT);
        if (name == "..")
            return make_node(proc(), NodeKind::Root);
        for (const TopEntry& entry : PROCESS_ENTRIES) {
            if (entry.name == name)
                return make_node(proc(), entry.kind, m_pid);
        }
        return Error::from_errno(ENOENT);
    case NodeKind::FdDirectory: {
        if (name == "..")
            return make_node(proc(), NodeKind::ProcessDirectory, m_pid);
        TextBuffer discard;
        if (parse_number(name, number) || name == "0") {
            if (provider().describe_fd(m_pid, number, discard))
                return make_node(proc(), NodeKind::FdLink, m_pid, number);
        }
        return Error::from_errno(ENOENT);
    }
    case NodeKind::TaskDirectory: {
        if (name == "..")
            return make_node(proc(), NodeKind::ProcessDirectory, m_pid);
        ProcessSnapshot snapshot;
        if (parse_number(name, number) && provider().snapshot_thread(m_pid, number, snapshot))
            return make_node(proc(), NodeKind::ThreadDirectory, m_pid, number);
        return Error::from_errno(ENOENT);
    }
    case NodeKind::ThreadDirectory: {
        ProcessSnapshot snapshot;
        if (!provider().snapshot_thread(m_pid, m_fd, snapshot))
            return Error::from_errno(ENOENT);
        if (name == "..")
            return make_node(proc(), NodeKind::TaskDirectory, m_pid);
        for (const TopEntry& entry : THREAD_ENTRIES) {
            if (entry.name == name)
                return make_node(proc(), entry.kind, m_pid, m_fd);
        }
        return Error::from_errno(ENOENT);
    }
    default:
        return Error::from_errno(ENOTDIR);
    }
}

// Visits one entry; false when the visitor is full.
bool visit_entry(DirectoryVisitor& visitor, StringView name, u64 inode, FileType type, u64 next_cookie)
{
    return visitor.visit({ name, inode, type, next_cookie });
}

ErrorOr<u64> ProcNode::read_directory(u64 cookie, DirectoryVisitor& visitor)
{
    if (!is_directory())
        return Error::from_errno(ENOTDIR);
    if (m_pid && !process_exists())
        return Error::from_errno(ENOENT);
    if (cookie == 0) {
        if (!visit_entry(visitor, ".", inode_number(), FileType::Directory, 1))
            return cookie;
        cookie = 1;
    }
    if (cookie == 1) {
        u64 parent = inode_of(NodeKind::Root, 0, 0);
        if (m_kind == NodeKind::FdDirectory || m_kind == NodeKind::TaskDirectory)
            parent = inode_of(NodeKind::ProcessDirectory, m_pid, 0);
        else if (m_kind == NodeKind::ThreadDirectory)
            parent = inode_of(NodeKind::TaskDirectory, m_pid, 0);
        if (!visit_entry(visitor, "..", parent, FileType::Directory, 2))
            return cookie;
        cookie = 2;
    }
    char name[16];
    if (m_kind == NodeKind::ProcessDirectory) {
        for (; cookie < 2 + PROCESS_ENTRY_COUNT; ++cookie) {
            const TopEntry& entry = PROCESS_ENTRIES[cookie - 2];
            if (!visit_entry(visitor, entry.name, inode_of(entry.kind, m_pid, 0), type_of(entry.kind), cookie + 1))
                return cookie;
        }
        return cookie;
    }
    if (m_kind == NodeKind::ThreadDirectory) {
        for (; cookie < 2 + THREAD_ENTRY_COUNT; ++cookie) {
            const TopEntry& entry = THREAD_ENTRIES[cookie - 2];
            if (!visit_entry(visitor, entry.name, inode_of(entry.kind, m_pid, m_fd), type_of(entry.kind), cookie + 1))
                return cookie;
        }
        return cookie;
    }
    i32 numbers[MAX_LISTED];
    usize count;
    if (m_kind == NodeKind::Root) {
        for (; cookie < PID_COOKIE_BASE; ++cookie) {
            const TopEntry& entry = TOP_ENTRIES[cookie - 2];
            if (!visit_entry(visitor, entry.name, inode_of(entry.kind, 0, 0), type_of(entry.kind), cookie + 1))
                return cookie;
        }
        count = provider().list_pids({ numbers, MAX_LISTED });
    } else if (m_kind == NodeKind::TaskDirectory) {
        count = provider().list_threads(m_pid, { numbers, MAX_LISTED });
    } else {
        count = provider().list_fds(m_pid, { numbers, MAX_LISTED });
    }
    // Cookies past the fixed ones are base + number: resume at the next larger number.
    u64 base = m_kind == NodeKind::Root ? PID_COOKIE_BASE : 2;
    NodeKind child = NodeKind::FdLink;
    if (m_kind == NodeKind::Root)
        child = NodeKind::ProcessDirectory;
    else if (m_kind == NodeKind::TaskDirectory)
        child = NodeKind::ThreadDirectory;
    for (usize i = 0; i < count; ++i) {
        u64 entry_cookie = base + static_cast<u64>(numbers[i]);
        if (entry_cookie < cookie)
            continue;
        usize length = format_to(name, sizeof(name), "{}", numbers[i]);
        i32 pid = child == NodeKind::ProcessDirectory ? numbers[i] : m_pid;
        i32 fd = child == NodeKind::ProcessDirectory ? 0 : numbers[i];
        if (!visit_entry(visitor, { name, length }, inode_of(child, pid, fd), type_of(child), entry_cookie + 1))
            return entry_cookie;
        cookie = entry_cookie + 1;
    }
    return cookie;
}

ErrorOr<usize> ProcNode::read(u64 offset, Bytes buffer)
{
    if (type() != FileType::Regular)
        return Vnode::read(offset, buffer);
    TextBuffer text;
    TRY(generate_text(provider(), m_kind, m_pid, text, m_fd));
    TRY(text.status());
    StringView view = text.view();
    if (offset >= view.length())
        return 0;
    usize count = min(buffer.size(), static_cast<usize>(view.length() - offset));
    __builtin_memcpy(buffer.data(), view.characters() + offset, count);
    return count;
}

ErrorOr<usize> ProcNode::read_link(Bytes buffer)
{
    TextBuffer text;
    if (m_kind == NodeKind::Self) {
        i32 pid = provider().current_pid();
        if (pid <= 0)
            return Error::from_errno(ENOENT);
        format(text, "{}", pid);
    } else if (m_kind == NodeKind::FdLink) {
        if (!provider().describe_fd(m_pid, m_fd, text))
            return Error::from_errno(ENOENT);
    } else {
        return Error::from_errno(EINVAL);
    }
    TRY(text.status());
    usize count = min(buffer.size(), text.view().length());
    __builtin_memcpy(buffer.data(), text.view().characters(), count);
    return count;
}

} // namespace

bool parse_number(StringView text, i32& out)
{
    if (text.is_empty() || text.length() > 9 || (text[0] == '0' && text.length() > 1))
        return false;
    i32 value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + (c - '0');
    }
    out = value;
    return true;
}

ErrorOr<NonnullRefPtr<Vnode>> make_node(ProcFileSystem& file_system, NodeKind kind, i32 pid, i32 fd)
{
    auto* node = new (std::nothrow) ProcNode(file_system, kind, pid, fd);
    if (!node)
        return Error::from_errno(ENOMEM);
    return adopt_ref(*static_cast<Vnode*>(node));
}

ErrorOr<void> generate_text(Provider& provider, NodeKind kind, i32 pid, FormatSink& sink, i32 tid)
{
    switch (kind) {
    case NodeKind::Meminfo:
        generate_meminfo(sink, provider.memory());
        return {};
    case NodeKind::Uptime:
        generate_uptime(sink, provider.uptime_ns(), provider.idle_ns());
        return {};
    case NodeKind::Cpuinfo: {
        auto* cpu = new (std::nothrow) CpuDescription {};
        if (!cpu)
            return Error::from_errno(ENOMEM);
        provider.describe_cpu(*cpu);
        generate_cpuinfo(sink, 0, *cpu);
        delete cpu;
        return {};
    }
    case NodeKind::Mounts: {
        RefPtr<Mount> mounts[MountTable::MAX_MOUNTS];
        usize count = provider.snapshot_mounts({ mounts, MountTable::MAX_MOUNTS });
        generate_mounts(sink, { mounts, count });
        return {};
    }
    case NodeKind::Dmesg:
        provider.write_kernel_log(sink);
        return {};
    case NodeKind::Partitions:
        generate_partitions(sink);
        return {};
    case NodeKind::Pci:
        write_pci_listing(sink);
        return {};
    case NodeKind::Sockstat:
        // Linux's /proc/net/sockstat layout, for the sockets Osprey has.
        lib::format(sink, "sockets: used {}\nUNIX: inuse {} inflight {}\n", net::live_unix_socket_count(),
            net::live_unix_socket_count(), net::sockets_in_flight());
        return {};
    case NodeKind::Status:
    case NodeKind::Stat:
    case NodeKind::Cmdline:
    case NodeKind::ThreadStatus:
    case NodeKind::ThreadStat: {
        auto* snapshot = new (std::nothrow) ProcessSnapshot {};
        if (!snapshot)
            return Error::from_errno(ENOMEM);
        bool thread = kind == NodeKind::ThreadStatus || kind == NodeKind::ThreadStat;
        bool found = thread ? provider.snapshot_thread(pid, tid, *snapshot) : provider.snapshot_process(pid, *snapshot);
        if (found && (kind == NodeKind::Status || kind == NodeKind::ThreadStatus))
            generate_status(sink, *snapshot);
        else if (found && (kind == NodeKind::Stat || kind == NodeKind::ThreadStat))
            generate_stat(sink, *snapshot);
        else if (found)
            sink.write({ snapshot->arguments, snapshot->arguments_length });
        delete snapshot;
        if (!found)
            return Error::from_errno(ENOENT);
        return {};
    }
    default:
        return Error::from_errno(EINVAL);
    }
}

} // namespace fs::procfs
