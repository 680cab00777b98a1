#pragma once

// What procfs shows, asked through one small interface so the text
// generators and the directory logic run on the host with a fake (tests/unit/
// fs/ProcFs_test.cpp) and in the kernel with kernel/proc/ProcfsSource.cpp.
//
// Every call returns a copy taken at the time of the call: a process may be
// gone by the next call, and procfs answers ENOENT then.
#include <fs/vfs/Mount.h>
#include <kernel/lib/Error.h>
#include <kernel/lib/Format.h>
#include <kernel/lib/Span.h>

namespace fs::procfs {

inline constexpr usize NAME_MAX_LENGTH = 32;
inline constexpr usize ARGUMENTS_MAX_LENGTH = 512;

struct MemoryFigures {
    u64 total_bytes;
    u64 free_bytes;
    u64 available_bytes;
    // The kernel heap (/proc/meminfo KernelHeap, KernelHeapObjects): what
    // ring-3 leak checks compare against a baseline (docs/ipc.md).
    u64 heap_bytes { 0 };
    u64 heap_objects { 0 };
};

struct CpuDescription {
    char vendor[13];     // NUL-terminated
    char model_name[49]; // NUL-terminated
    u32 family;
    u32 model;
    u32 stepping;
    char flags[1024]; // NUL-terminated, space-separated lowercase names
};

struct ProcessSnapshot {
    i32 pid;
    i32 parent_pid;
    char state; // Linux's letters: R, S, D, Z, T
    u32 uid;
    u32 gid;
    u32 threads;
    i32 process_group;
    i32 session;
    u64 resident_bytes;
    // The statistics of the process's thread (kernel/sched ThreadStatistics).
    u64 cpu_time_ns;
    u64 voluntary_switches;
    u64 involuntary_switches;
    char name[NAME_MAX_LENGTH];
    usize name_length;
    char arguments[ARGUMENTS_MAX_LENGTH]; // argv, each NUL-terminated
    usize arguments_length;
    // For /proc/<pid>/task/<tid>/: the thread's id (0: the process itself).
    i32 thread_id { 0 };
};

class Provider {
public:
    // Copies up to out.size() live pids, ascending; returns how many.
    virtual usize list_pids(Span<i32> out) = 0;
    // False when no process has that pid.
    virtual bool snapshot_process(i32 pid, ProcessSnapshot& out) = 0;
    // The pid of the calling process (0 from a kernel thread).
    virtual i32 current_pid() = 0;
    virtual MemoryFigures memory() = 0;
    virtual u64 uptime_ns() = 0;
    virtual u64 idle_ns() = 0;
    virtual void describe_cpu(CpuDescription& out) = 0;
    // Writes the kernel log, one formatted record per line.
    virtual void write_kernel_log(FormatSink& sink) = 0;
    // Writes fd `fd`'s link target ("/path", "pipe:[ino]") into `sink`;
    // false when the process or the fd does not exist.
    virtual bool describe_fd(i32 pid, i32 fd, FormatSink& sink) = 0;
    // Copies references to the mounts, in mount order; returns how many.
    virtual usize snapshot_mounts(Span<RefPtr<Mount>> out) = 0;
    // Visits the open fds of `pid`, ascending, into `out`; returns how many.
    virtual usize list_fds(i32 pid, Span<i32> out) = 0;
    // Copies the tids of `pid`'s threads, ascending; returns how many.
    virtual usize list_threads(i32 pid, Span<i32> out) = 0;
    // Thread `tid` of process `pid`: the process's snapshot with the
    // thread's id, state and statistics. False when there is none.
    virtual bool snapshot_thread(i32 pid, i32 tid, ProcessSnapshot& out) = 0;

protected:
    ~Provider() = default;
};

} // namespace fs::procfs
