#pragma once

// The interrupt descriptor table: 256 interrupt gates, each pointing at its
// stub in InterruptStubs.S. All vectors are installed at boot so nothing ever
// jumps through an empty gate.
#include <kernel/lib/Types.h>

namespace x86 {

void idt_init();
// Loads the IDT on this CPU (idt_init does it for the boot CPU).
void idt_load();
// Runs the vector on Interrupt Stack Table entry `ist` (1..7; 0 = none).
void idt_set_ist(u8 vector, u8 ist);

} // namespace x86
