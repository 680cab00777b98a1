// The kernel's procfs Provider (fs/procfs/Provider.h): processes from the
// process table, memory from the frame allocator, time from the clock, idle
// time from the idle thread's CPU time, the CPU from CPUID, the log from
// klog. procfs is mounted by mount(2) (kernel/syscalls/Mount.cpp) with
// procfs_provider().
//
// A process's state letter: Z for a zombie, R for the caller, S for the
// others (their threads are blocked or runnable; Osprey does not
// tell them apart here yet).
#include <fs/procfs/FdPath.h>
#include <kernel/arch/x86_64/Cpuid.h>
#include <kernel/log/Log.h>
#include <kernel/mm/Heap.h>
#include <kernel/mm/PhysicalMemory.h>
#include <kernel/proc/Process.h>
#include <kernel/proc/ProcfsSource.h>
#include <kernel/sched/Scheduler.h>
#include <kernel/sched/Thread.h>
#include <kernel/time/Clock.h>

namespace proc {

namespace {

constexpr u64 FRAME_SIZE = 4096;
constexpr usize MAX_FDS_LISTED = 256;

// procfs lists numbers in ascending order; the tables hold them in slot order
// (insertion sort: at most MAX_PROCESSES, or a process's threads).
usize sort_ascending(Span<i32> numbers, usize count)
{
    for (usize i = 1; i < count; ++i) {
        for (usize j = i; j > 0 && numbers[j - 1] > numbers[j]; --j)
            lib::swap(numbers[j - 1], numbers[j]);
    }
    return count;
}

class KernelProvider final : public fs::procfs::Provider {
public:
    constexpr KernelProvider() = default;

    usize list_pids(Span<i32> out) override
    {
        struct Context {
            Span<i32> out;
            usize count;
        } context { out, 0 };
        Process::visit_locked(
            [](Process& process, void* argument) {
                auto& context = *static_cast<Context*>(argument);
                if (context.count < context.out.size())
                    context.out[context.count++] = process.pid();
            },
            &context);
        return sort_ascending(out, context.count);
    }

    bool snapshot_process(i32 pid, fs::procfs::ProcessSnapshot& out) override
    {
        struct Context {
            i32 pid;
            Process* current;
            fs::procfs::ProcessSnapshot* out;
            bool found;
        } context { pid, Process::current(), &out, false };
        Process::visit_locked(
            [](Process& process, void* argument) {
                auto& context = *static_cast<Context*>(argument);
                if (process.pid() != context.pid)
                    return;
                auto& out = *context.out;
                context.found = true;
                out.pid = process.pid();
                out.parent_pid = process.parent_pid_locked();
                out.state = process.is_zombie_locked() ? 'Z' : (&process == context.current ? 'R' : 'S');
                out.uid = process.credentials().uid;
                out.gid = process.credentials().gid;
                // A zombie has no threads left; Linux still says 1.
                out.threads = max<u32>(1, static_cast<u32>(process.thread_count_locked()));
                out.process_group = process.process_group_locked();
                out.session = process.session_locked();
                out.resident_bytes = 0;
                // Lock order: the process table, then the scheduler (wake-ups from
                // exit and wait take them in the same order).
                // The process's figures are its live threads' sums.
                sched::ThreadStatistics statistics {};
                process.for_each_thread_locked([&](UserThread& thread) {
                    if (const sched::Thread* kernel_thread = thread.thread_locked()) {
                        sched::ThreadStatistics figures = kernel_thread->statistics();
                        statistics.cpu_time_ns += figures.cpu_time_ns;
                        statistics.voluntary_switches += figures.voluntary_switches;
                        statistics.involuntary_switches += figures.involuntary_switches;
                    }
                });
                out.cpu_time_ns = statistics.cpu_time_ns;
                out.voluntary_switches = statistics.voluntary_switches;
                out.involuntary_switches = statistics.involuntary_switches;
                out.name_length = min(process.name().length(), sizeof(out.name));
                __builtin_memcpy(out.name, process.name().characters(), out.name_length);
                out.arguments_length = min(process.arguments().length(), sizeof(out.arguments));
                __builtin_memcpy(out.arguments, process.arguments().characters(), out.arguments_length);
            },
            &context);
        return context.found;
    }

    i32 current_pid() override
    {
        Process* process = Process::current();
        return process ? process->pid() : 0;
    }

    fs::procfs::MemoryFigures memory() override
    {
        mm::FrameStats frames = mm::frame_stats();
        u64 total = static_cast<u64>(frames.total) * FRAME_SIZE;
        u64 free = static_cast<u64>(frames.free) * FRAME_SIZE;
        // Nothing is reclaimable (no page cache yet): available = free.
        mm::HeapStats heap = mm::heap_stats();
        return { total, free, free, heap.allocated_bytes, heap.live_allocations };
    }

    u64 uptime_ns() override { return ktime::uptime_ns(); }

    u64 idle_ns() override
    {
        constexpr usize CAPACITY = 64;
        auto* threads = static_cast<sched::ThreadSnapshot*>(kmalloc(CAPACITY * sizeof(sched::ThreadSnapshot)));
        if (!threads)
            return 0;
        usize count = min(sched::snapshot_threads(threads, CAPACITY), CAPACITY);
        u64 idle = 0;
        for (usize i = 0; i < count; ++i) {
            if (threads[i].scheduling_class == sched::SchedulingClass::Idle)
                idle += threads[i].cpu_time_ns;
        }
        kfree(threads);
        return idle;
    }

    void describe_cpu(fs::procfs::CpuDescription& out) override
    {
        x86::CpuInfo info = x86::read_cpu_info();
        __builtin_memcpy(out.vendor, info.vendor, sizeof(out.vendor));
        __builtin_memcpy(out.model_name, info.brand, sizeof(out.model_name));
        out.family = info.family;
        out.model = info.model;
        out.stepping = info.stepping;
        struct Flags {
            char* text;
            usize length;
            usize capacity;
        } flags { out.flags, 0, sizeof(out.flags) };
        x86::for_each_feature(
            info,
            [](StringView name, void* argument) {
                auto& flags = *static_cast<Flags*>(argument);
                if (flags.length + name.length() + 2 > flags.capacity)
                    return;
                if (flags.length)
                    flags.text[flags.length++] = ' ';
                __builtin_memcpy(flags.text + flags.length, name.characters(), name.length());
                flags.length += name.length();
            },
            &flags);
        out.flags[flags.length] = '\0';
    }

    void write_kernel_log(FormatSink& sink) override
    {
        klog::for_each_record([&sink](const klog::Record& record) {
            klog::format_record(sink, record);
            sink.write("\n");
        });
    }

    bool describe_fd(i32 pid, i32 fd, FormatSink& sink) override
    {
        RefPtr<fs::OpenFile> file = file_of(pid, fd);
        if (!file)
            return false;
        if (const fs::Location* location = file->location()) {
            if (fs::procfs::write_path(sink, *location))
                return true;
        }
        if (file->kind_name() == "console" || file->kind_name() == "tty") {
            sink.write("/dev/console");
            return true;
        }
        u64 inode = 0;
        if (auto attributes = file->stat(); !attributes.is_error())
            inode = attributes.value().inode;
        format(sink, "{}:[{}]", file->kind_name(), inode);
        return true;
    }

    usize snapshot_mounts(Span<RefPtr<fs::Mount>> out) override { return fs::vfs().mounts().snapshot(out); }

    usize list_fds(i32 pid, Span<i32> out) override
    {
        struct Context {
            i32 pid;
            Span<i32> out;
            usize count;
        } context { pid, out, 0 };
        Process::visit_locked(
            [](Process& process, void* argument) {
                auto& context = *static_cast<Context*>(argument);
                fs::FileTable* files = process.files_locked();
                if (process.pid() != context.pid || !files)
                    return;
                usize limit = min(static_cast<usize>(files->limit()), MAX_FDS_LISTED);
                for (usize fd = 0; fd < limit && context.count < context.out.size(); ++fd) {
                    if (files->is_open(static_cast<int>(fd)))
                        context.out[context.count++] = static_cast<i32>(fd);
                }
            },
            &context);
        return context.count;
    }

    usize list_threads(i32 pid, Span<i32> out) override
    {
        struct Context {
            i32 pid;
            Span<i32> out;
            usize count;
        } context { pid, out, 0 };
        Process::visit_locked(
            [](Process& process, void* argument) {
                auto& context = *static_cast<Context*>(argument);
                if (process.pid() != context.pid)
                    return;
                process.for_each_thread_locked([&](UserThread& thread) {
                    if (context.count < context.out.size())
                        context.out[context.count++] = thread.tid();
                });
            },
            &context);
        return sort_ascending(out, context.count);
    }

    bool snapshot_thread(i32 pid, i32 tid, fs::procfs::ProcessSnapshot& out) override
    {
        if (!snapshot_process(pid, out))
            return false;
        struct Context {
            i32 pid;
            i32 tid;
            UserThread* current;
            fs::procfs::ProcessSnapshot* out;
            bool found;
        } context { pid, tid, UserThread::current(), &out, false };
        Process::visit_locked(
            [](Process& process, void* argument) {
                auto& context = *static_cast<Context*>(argument);
                if (process.pid() != context.pid)
                    return;
                UserThread* thread = process.find_thread_locked(context.tid);
                if (!thread)
                    return;
                auto& out = *context.out;
                context.found = true;
                out.thread_id = context.tid;
                out.state = thread == context.current ? 'R' : 'S';
                sched::ThreadStatistics statistics {};
                if (const sched::Thread* kernel_thread = thread->thread_locked())
                    statistics = kernel_thread->statistics();
                out.cpu_time_ns = statistics.cpu_time_ns;
                out.voluntary_switches = statistics.voluntary_switches;
                out.involuntary_switches = statistics.involuntary_switches;
            },
            &context);
        return context.found;
    }

private:
    static RefPtr<fs::OpenFile> file_of(i32 pid, i32 fd)
    {
        struct Context {
            i32 pid;
            i32 fd;
            RefPtr<fs::OpenFile> file;
        } context { pid, fd, nullptr };
        // Taking a reference under the lock is safe; dropping ours happens after it.
        Process::visit_locked(
            [](Process& process, void* argument) {
                auto& context = *static_cast<Context*>(argument);
                fs::FileTable* files = process.files_locked();
                if (process.pid() != context.pid || !files)
                    return;
                if (auto file = files->get(context.fd); !file.is_error())
                    context.file = file.release_value();
            },
            &context);
        return lib::move(context.file);
    }
};

constinit KernelProvider s_provider;

} // namespace

fs::procfs::Provider& procfs_provider()
{
    return s_provider;
}

} // namespace proc
