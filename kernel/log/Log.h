#pragma once

// The kernel log: leveled, timestamped records kept in a ring buffer (for
// `dmesg`) and echoed to the console when at or above the console level.
//
//   klog::info("pmm: {} MiB usable", total / MiB);
#include <kernel/lib/Format.h>

namespace klog {

enum class Level : u8 {
    Debug,
    Info,
    Notice,
    Warning,
    Error,
    Critical,
};

StringView level_name(Level level);

struct Record {
    u64 timestamp_ns;
    u64 sequence;
    Level level;
    StringView text; // valid only during the visitor call
};

// Where timestamps come from; until set, records carry 0.
void set_clock(u64 (*now_ns)());
// Where echoed lines go; until set, nothing is echoed. Takes the formatted line.
void set_console(void (*write)(StringView));
void set_console_level(Level level);

void vlog(Level level, StringView fmt, Span<const lib::FormatArg> args);

template<typename... Args>
void log(Level level, StringView fmt, const Args&... args)
{
    const lib::FormatArg list[] = { lib::make_format_arg(args)..., lib::FormatArg { lib::FormatArg::Kind::Bool, {} } };
    vlog(level, fmt, Span<const lib::FormatArg>(list, sizeof...(Args)));
}

// clang-format off
template<typename... Args> void debug(StringView fmt, const Args&... args) { log(Level::Debug, fmt, args...); }
template<typename... Args> void info(StringView fmt, const Args&... args) { log(Level::Info, fmt, args...); }
template<typename... Args> void notice(StringView fmt, const Args&... args) { log(Level::Notice, fmt, args...); }
template<typename... Args> void warn(StringView fmt, const Args&... args) { log(Level::Warning, fmt, args...); }
template<typename... Args> void error(StringView fmt, const Args&... args) { log(Level::Error, fmt, args...); }
template<typename... Args> void critical(StringView fmt, const Args&... args) { log(Level::Critical, fmt, args...); }
// clang-format on

// Visits the records still in the ring, oldest first.
template<typename Visitor>
void for_each_record(Visitor visitor);

// Non-template core of for_each_record.
void visit_records(void (*visit)(const Record&, void*), void* context);

template<typename Visitor>
void for_each_record(Visitor visitor)
{
    visit_records([](const Record& record, void* context) { (*static_cast<Visitor*>(context))(record); }, &visitor);
}

// Formats a record the way dmesg and the console print it:
// "[   12.345678] message" (with the level name for warnings and worse).
void format_record(FormatSink& sink, const Record& record);

struct Stats {
    u64 records_written;
    u64 records_dropped; // overwritten before anyone read them
    usize buffer_bytes;
};
Stats stats();

// Empties the ring (used by tests).
void reset_for_testing();

} // namespace klog
