// kshell commands for interrupts and time (formats in BRIEF-FORMATS):
//   irqstat   one line per vector with a handler or a nonzero count:
//             <vector> <count> <handler names, comma separated, or ->
//   acpi      the ACPI tables found, with MADT/HPET/MCFG summaries
//   uptime    up <seconds>.<6 digits> s
#include <kernel/acpi/Report.h>
#include <kernel/console/Console.h>
#include <kernel/irq/Irq.h>
#include <kernel/kshell/Command.h>
#include <kernel/time/Clock.h>

namespace {

void irqstat(kshell::Arguments)
{
    irq::for_each_active_vector(
        [](const irq::VectorInfo& info, void*) {
            StringView names = info.names[0] ? StringView(info.names) : StringView("-");
            console::print("{} {} {}\n", info.vector, info.count, names);
        },
        nullptr);
}
KSHELL_COMMAND("irqstat", "interrupt counts per vector", irqstat);

void acpi_tables(kshell::Arguments)
{
    const acpi::Info* info = acpi::info();
    if (!info) {
        console::print("acpi: no usable ACPI tables\n");
        return;
    }
    acpi::report(
        *info, [](StringView line, void*) { console::print("{}\n", line); }, nullptr);
}
KSHELL_COMMAND("acpi", "the ACPI tables found", acpi_tables);

void uptime(kshell::Arguments)
{
    u64 ns = ktime::uptime_ns();
    console::print("up {}.{:06} s\n", ns / ktime::NS_PER_SECOND, (ns / 1000) % 1'000'000);
}
KSHELL_COMMAND("uptime", "time since boot", uptime);

} // namespace
