// procfs text generators; see Text.h. Formats follow proc(5) and Linux's
// fs/proc/meminfo.c, fs/proc/uptime.c, arch/x86/kernel/cpu/proc.c and
// fs/proc/array.c (status).
#include <fs/procfs/Text.h>
#include <fs/vfs/AccessTime.h>
#include <kernel/lib/Allocator.h>

namespace fs::procfs {

TextBuffer::~TextBuffer()
{
    lib::deallocate(m_data);
}

void TextBuffer::write(StringView text)
{
    append_bytes(text.characters(), text.length());
}

void TextBuffer::append_bytes(const char* bytes, usize length)
{
    if (m_failed || length == 0)
        return;
    if (m_length + length > m_capacity) {
        usize capacity = m_capacity ? m_capacity : 256;
        while (capacity < m_length + length)
            capacity *= 2;
        auto* data = static_cast<char*>(lib::allocate(capacity, 1));
        if (!data) {
            m_failed = true;
            return;
        }
        if (m_length)
            __builtin_memcpy(data, m_data, m_length);
        lib::deallocate(m_data);
        m_data = data;
        m_capacity = capacity;
    }
    __builtin_memcpy(m_data + m_length, bytes, length);
    m_length += length;
}

ErrorOr<void> TextBuffer::status() const
{
    if (m_failed)
        return Error::from_errno(ENOMEM);
    return {};
}

static void meminfo_line(FormatSink& sink, StringView key, u64 bytes)
{
    // Linux pads the key with its colon to 16 columns and the value to 8.
    format(sink, "{}:", key);
    for (usize column = key.length() + 1; column < 16; ++column)
        sink.write(" ");
    format(sink, "{:>8} kB\n", bytes / 1024);
}

void generate_meminfo(FormatSink& sink, const MemoryFigures& figures)
{
    meminfo_line(sink, "MemTotal", figures.total_bytes);
    meminfo_line(sink, "MemFree", figures.free_bytes);
    meminfo_line(sink, "MemAvailable", figures.available_bytes);
    meminfo_line(sink, "Buffers", 0);
    meminfo_line(sink, "Cached", 0);
    meminfo_line(sink, "SwapCached", 0);
    meminfo_line(sink, "Shmem", 0);
    meminfo_line(sink, "SReclaimable", 0);
    meminfo_line(sink, "SwapTotal", 0);
    meminfo_line(sink, "SwapFree", 0);
    // Osprey's own lines, after Linux's.
    meminfo_line(sink, "KernelHeap", figures.heap_bytes);
    format(sink, "KernelHeapObjects: {}\n", figures.heap_objects);
}

static void write_centiseconds(FormatSink& sink, u64 ns)
{
    u64 centiseconds = ns / 10'000'000;
    format(sink, "{}.{:02}", centiseconds / 100, centiseconds % 100);
}

void generate_uptime(FormatSink& sink, u64 uptime_ns, u64 idle_ns)
{
    write_centiseconds(sink, uptime_ns);
    sink.write(" ");
    write_centiseconds(sink, idle_ns);
    sink.write("\n");
}

void generate_cpuinfo(FormatSink& sink, u32 index, const CpuDescription& cpu)
{
    format(sink, "processor\t: {}\n", index);
    format(sink, "vendor_id\t: {}\n", static_cast<const char*>(cpu.vendor));
    format(sink, "cpu family\t: {}\n", cpu.family);
    format(sink, "model\t\t: {}\n", cpu.model);
    format(sink, "model name\t: {}\n", static_cast<const char*>(cpu.model_name));
    format(sink, "stepping\t: {}\n", cpu.stepping);
    format(sink, "flags\t\t: {}\n\n", static_cast<const char*>(cpu.flags));
}

StringView state_description(char state)
{
    switch (state) {
    case 'R':
        return "R (running)";
    case 'S':
        return "S (sleeping)";
    case 'D':
        return "D (disk sleep)";
    case 'T':
        return "T (stopped)";
    case 'Z':
        return "Z (zombie)";
    default:
        return "? (unknown)";
    }
}

void generate_status(FormatSink& sink, const ProcessSnapshot& process)
{
    format(sink, "Name:\t{}\n", StringView(process.name, process.name_length));
    format(sink, "State:\t{}\n", state_description(process.state));
    format(sink, "Tgid:\t{}\n", process.pid);
    format(sink, "Pid:\t{}\n", process.thread_id ? process.thread_id : process.pid);
    format(sink, "PPid:\t{}\n", process.parent_pid);
    // Real, effective, saved and filesystem ids, as Linux lists them.
    format(sink, "Uid:\t{}\t{}\t{}\t{}\n", process.uid, process.uid, process.uid, process.uid);
    format(sink, "Gid:\t{}\t{}\t{}\t{}\n", process.gid, process.gid, process.gid, process.gid);
    format(sink, "Threads:\t{}\n", process.threads);
    format(sink, "voluntary_ctxt_switches:\t{}\n", process.voluntary_switches);
    format(sink, "nonvoluntary_ctxt_switches:\t{}\n", process.involuntary_switches);
}

void generate_stat(FormatSink& sink, const ProcessSnapshot& process)
{
    // Times are in clock ticks of USER_HZ (100 per second), as Linux reports.
    constexpr u64 NANOSECONDS_PER_TICK = 10'000'000;
    u64 user_ticks = process.cpu_time_ns / NANOSECONDS_PER_TICK;
    // pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt
    // majflt cmajflt utime stime cutime cstime priority nice num_threads
    // itrealvalue starttime vsize rss; then 29 fields Osprey leaves at 0.
    format(sink, "{} ({}) {} {} {} {} 0 0 0 0 0 0 0 {} 0 0 0 20 0 {} 0 0 0 {}",
        process.thread_id ? process.thread_id : process.pid, StringView(process.name, process.name_length),
        process.state, process.parent_pid, process.process_group, process.session, user_ticks, process.threads,
        process.resident_bytes / 4096);
    for (int field = 25; field <= 52; ++field)
        sink.write(" 0");
    sink.write("\n");
}

// Linux's name for a filesystem type, as mount(2) takes it.
static StringView type_name(const FileSystem& file_system)
{
    StringView name = file_system.name();
    if (name == "devfs")
        return "devtmpfs";
    return name;
}

// A field of /proc/mounts: space, tab, newline and backslash as octal
// escapes, as Linux's mangle() writes them.
static void write_escaped(FormatSink& sink, StringView text)
{
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\\') {
            char escape[4] = { '\\', static_cast<char>('0' + ((c >> 6) & 7)), static_cast<char>('0' + ((c >> 3) & 7)),
                static_cast<char>('0' + (c & 7)) };
            sink.write({ escape, 4 });
        } else {
            sink.write({ &c, 1 });
        }
    }
}

// One line per mount, as Linux's show_vfsmnt: source, mount point, type,
// options ("rw" and the filesystem's own), and "0 0" for dump and pass.
void generate_mounts(FormatSink& sink, Span<const RefPtr<Mount>> mounts)
{
    for (const RefPtr<Mount>& mount : mounts) {
        if (!mount)
            continue;
        StringView type = type_name(mount->file_system());
        StringView source = !mount->source().is_empty() ? mount->source() : mount->parent() ? type : "rootfs";
        write_escaped(sink, source);
        sink.write(" ");
        write_escaped(sink, mount->path());
        format(sink, " {} rw", type);
        sink.write(access_time_options(mount->flags()));
        char options[64];
        usize length = mount->file_system().format_options({ reinterpret_cast<u8*>(options), sizeof(options) });
        sink.write({ options, length });
        sink.write(" 0 0\n");
    }
}

} // namespace fs::procfs
