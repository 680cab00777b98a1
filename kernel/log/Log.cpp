// The log ring: a byte buffer of variable-length records, each
//   [u64 timestamp][u64 sequence][u8 level][u16 length][text...]
// written at the head; when full, the oldest records are dropped whole.
// One spinlock guards the ring; formatting happens into a stack buffer first
// so the lock is held only for the copy.
#include <kernel/lib/Spinlock.h>
#include <kernel/log/Log.h>

namespace klog {

namespace {

constexpr usize RING_SIZE = 64 * KiB;
constexpr usize HEADER_SIZE = 8 + 8 + 1 + 2;
constexpr usize MAX_LINE = 512;

Spinlock s_lock;
u8 s_ring[RING_SIZE];
usize s_head = 0; // where the next record starts (offset)
usize s_tail = 0; // oldest record (offset)
usize s_used = 0; // bytes in use
u64 s_next_sequence = 0;
u64 s_dropped = 0;
u64 (*s_clock)() = nullptr;
void (*s_console)(StringView) = nullptr;
Level s_console_level = Level::Info;

void ring_write(usize offset, const void* data, usize length)
{
    auto* bytes = static_cast<const u8*>(data);
    for (usize i = 0; i < length; ++i)
        s_ring[(offset + i) % RING_SIZE] = bytes[i];
}

void ring_read(usize offset, void* data, usize length)
{
    auto* bytes = static_cast<u8*>(data);
    for (usize i = 0; i < length; ++i)
        bytes[i] = s_ring[(offset + i) % RING_SIZE];
}

usize record_size_at(usize offset)
{
    u16 length;
    ring_read(offset + 17, &length, sizeof(length));
    return HEADER_SIZE + length;
}

void drop_oldest_locked()
{
    usize size = record_size_at(s_tail);
    s_tail = (s_tail + size) % RING_SIZE;
    s_used -= size;
    ++s_dropped;
}

} // namespace

StringView level_name(Level level)
{
    switch (level) {
    case Level::Debug:
        return "debug";
    case Level::Info:
        return "info";
    case Level::Notice:
        return "notice";
    case Level::Warning:
        return "warning";
    case Level::Error:
        return "error";
    case Level::Critical:
        return "critical";
    }
    return "?";
}

void set_clock(u64 (*now_ns)())
{
    s_clock = now_ns;
}

void set_console(void (*write)(StringView))
{
    s_console = write;
}

void set_console_level(Level level)
{
    s_console_level = level;
}

void vlog(Level level, StringView fmt, Span<const lib::FormatArg> args)
{
    char text[MAX_LINE];
    lib::BufferSink sink(text, sizeof(text));
    lib::vformat(sink, fmt, args);
    u16 length = static_cast<u16>(sink.length());
    u64 timestamp = s_clock ? s_clock() : 0;

    Record record { timestamp, 0, level, { text, length } };
    {
        SpinlockGuard guard(s_lock);
        record.sequence = s_next_sequence++;
        usize size = HEADER_SIZE + length;
        while (s_used + size > RING_SIZE)
            drop_oldest_locked();
        u8 level_byte = static_cast<u8>(level);
        ring_write(s_head, &timestamp, 8);
        ring_write(s_head + 8, &record.sequence, 8);
        ring_write(s_head + 16, &level_byte, 1);
        ring_write(s_head + 17, &length, 2);
        ring_write(s_head + HEADER_SIZE, text, length);
        s_head = (s_head + size) % RING_SIZE;
        s_used += size;
    }

    if (s_console && level >= s_console_level) {
        char line[MAX_LINE + 48];
        lib::BufferSink line_sink(line, sizeof(line));
        format_record(line_sink, record);
        line_sink.write("\n");
        s_console(line_sink.view());
    }
}

void visit_records(void (*visit)(const Record&, void*), void* context)
{
    // Copy each record out under the lock, call the visitor without it, so a
    // visitor that logs (or prints through the console) cannot deadlock.
    u64 next_sequence = 0;
    for (;;) {
        char text[MAX_LINE];
        Record record {};
        bool found = false;
        {
            SpinlockGuard guard(s_lock);
            usize offset = s_tail;
            usize remaining = s_used;
            while (remaining) {
                u64 sequence;
                ring_read(offset + 8, &sequence, 8);
                usize size = record_size_at(offset);
                if (sequence >= next_sequence) {
                    u8 level_byte;
                    u16 length;
                    ring_read(offset, &record.timestamp_ns, 8);
                    ring_read(offset + 16, &level_byte, 1);
                    ring_read(offset + 17, &length, 2);
                    ring_read(offset + HEADER_SIZE, text, length);
                    record.sequence = sequence;
                    record.level = static_cast<Level>(level_byte);
                    record.text = { text, length };
                    found = true;
                    break;
                }
                offset = (offset + size) % RING_SIZE;
                remaining -= size;
            }
        }
        if (!found)
            return;
        visit(record, context);
        next_sequence = record.sequence + 1;
    }
}

void format_record(FormatSink& sink, const Record& record)
{
    u64 seconds = record.timestamp_ns / 1000000000;
    u64 micros = (record.timestamp_ns / 1000) % 1000000;
    format(sink, "[{:>5}.{:06}] ", seconds, micros);
    if (record.level >= Level::Warning)
        format(sink, "{}: ", level_name(record.level));
    sink.write(record.text);
}

Stats stats()
{
    SpinlockGuard guard(s_lock);
    return { s_next_sequence, s_dropped, s_used };
}

void reset_for_testing()
{
    SpinlockGuard guard(s_lock);
    s_head = s_tail = s_used = 0;
    s_next_sequence = 0;
    s_dropped = 0;
}

} // namespace klog
