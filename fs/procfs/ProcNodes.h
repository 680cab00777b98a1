#pragma once

// procfs's vnodes; see ProcFileSystem.h.
#include <fs/procfs/ProcFileSystem.h>

namespace fs::procfs {

enum class NodeKind : u8 {
    Root,
    Meminfo,
    Uptime,
    Cpuinfo,
    Mounts,
    Dmesg,
    Self,
    ProcessDirectory,
    Status,
    Cmdline,
    FdDirectory,
    FdLink,
    Partitions,
    Pci,
    Sockstat,
    Stat, // below 16: inode_of packs a process's kinds in 16 numbers
    // /proc/<pid>/task and /proc/<pid>/task/<tid>/{status,stat}: the tid
    // rides in the node's fd field.
    TaskDirectory,
    ThreadDirectory,
    ThreadStatus,
    ThreadStat,
};

// Makes the vnode for (kind, pid, fd). ENOMEM.
ErrorOr<NonnullRefPtr<Vnode>> make_node(ProcFileSystem& file_system, NodeKind kind, i32 pid = 0, i32 fd = 0);

// Generates the text of a text-file kind into `sink` (`tid` for the
// thread kinds); ENOENT when the process or thread is gone.
ErrorOr<void> generate_text(Provider& provider, NodeKind kind, i32 pid, FormatSink& sink, i32 tid = 0);

// "123" -> 123; false for anything that is not a positive decimal number.
bool parse_number(StringView text, i32& out);

} // namespace fs::procfs
