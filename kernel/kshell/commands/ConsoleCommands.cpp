// kshell commands about the console itself: the kernel log (dmesg), echo and
// clear. Output formats are fixed by docs (system tests match them): dmesg
// prints one record per line as klog::format_record makes it.
#include <kernel/console/Console.h>
#include <kernel/kshell/Command.h>
#include <kernel/log/Log.h>

namespace kshell {

namespace {

// A record's text is at most 512 bytes; the timestamp and level add < 48.
constexpr usize DMESG_LINE_CAPACITY = 600;

void dmesg(Arguments)
{
    klog::for_each_record([](const klog::Record& record) {
        // One console::write per record, so the line arrives whole.
        char line[DMESG_LINE_CAPACITY];
        lib::BufferSink sink(line, sizeof(line));
        klog::format_record(sink, record);
        sink.write("\n");
        console::write(sink.view());
    });
}
KSHELL_COMMAND("dmesg", "print the kernel log", dmesg);

void echo(Arguments args)
{
    for (usize i = 1; i < args.size(); ++i) {
        if (i > 1)
            console::write(" ");
        console::write(args[i]);
    }
    console::write("\n");
}
KSHELL_COMMAND("echo", "print the arguments", echo);

void clear(Arguments)
{
    // ED 2 then CUP home (ECMA-48 §8.3.39, §8.3.21): the serial terminal and
    // the VGA console both act on it.
    console::write("\x1b[2J\x1b[H");
}
KSHELL_COMMAND("clear", "clear the screen", clear);

} // namespace

} // namespace kshell
