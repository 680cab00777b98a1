#pragma once

// procfs's text: a growable buffer that is a FormatSink, and the generators
// that fill it in Linux's formats (proc(5)). Portable: host tests check the
// text byte for byte.
#include <fs/procfs/Provider.h>
#include <fs/vfs/Mount.h>

namespace fs::procfs {

class TextBuffer final : public FormatSink {
public:
    TextBuffer() = default;
    ~TextBuffer();
    TextBuffer(const TextBuffer&) = delete;
    TextBuffer& operator=(const TextBuffer&) = delete;

    void write(StringView text) override;
    void append_bytes(const char* bytes, usize length);
    // ENOMEM if any append failed.
    ErrorOr<void> status() const;
    StringView view() const { return { m_data, m_length }; }

private:
    char* m_data { nullptr };
    usize m_length { 0 };
    usize m_capacity { 0 };
    bool m_failed { false };
};

// /proc/meminfo: the lines procps `free` reads, values in kB.
void generate_meminfo(FormatSink& sink, const MemoryFigures& figures);
// /proc/uptime: "<seconds>.<centiseconds> <idle seconds>.<centiseconds>\n".
void generate_uptime(FormatSink& sink, u64 uptime_ns, u64 idle_ns);
// /proc/cpuinfo for one processor numbered `index`.
void generate_cpuinfo(FormatSink& sink, u32 index, const CpuDescription& cpu);
// /proc/<pid>/status.
void generate_status(FormatSink& sink, const ProcessSnapshot& process);
// /proc/<pid>/stat: Linux's 52 fields on one line (proc(5)). Osprey does not
// split CPU time into user and system time: all of it is reported as utime.
// Fields Osprey does not track are 0.
void generate_stat(FormatSink& sink, const ProcessSnapshot& process);
// /proc/mounts: "<source> <mount point> <type> <options> 0 0" per mount.
void generate_mounts(FormatSink& sink, Span<const RefPtr<Mount>> mounts);
// Linux's name of a state letter ("R (running)").
StringView state_description(char state);

} // namespace fs::procfs
