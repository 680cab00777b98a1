#pragma once

// The CMOS real-time clock (MC146818 at ports 0x70/0x71): read once at boot
// to set the wall clock (kernel/time/WallClock.h). Osprey never writes it.
#include <kernel/acpi/Acpi.h>

namespace x86 {

// Reads the RTC and sets CLOCK_REALTIME from it. Runs after the monotonic
// clock is set up and with interrupts off. An unreadable or nonsensical RTC
// is logged and leaves the wall clock at the epoch.
void rtc_set_wall_clock(const acpi::Info* acpi);

} // namespace x86
