#pragma once

// The text form of what ACPI discovery found, shared by the boot log and the
// kshell `acpi` command (format agreed in BRIEF-FORMATS): one line per table,
//   <SIG> 0x<16 hex digits> len <n> rev <n> oem <OEMID>
// and after the MADT, HPET and MCFG an indented summary line (one per PCI
// segment group for the MCFG).
#include <kernel/acpi/Acpi.h>

namespace acpi {

// Calls `emit` with each line (no newline), in table order.
void report(const Info& info, void (*emit)(StringView line, void* context), void* context);

// Logs a one-line overview (revision, OEM, root table, counts) and the report.
void log_report(const Info& info);

} // namespace acpi
