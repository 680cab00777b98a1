#pragma once

// The architecture boundary for generic code: interrupt flag, pausing and
// halting. kernel/arch/x86_64/ implements it; host tests supply a fake.
#include <kernel/lib/Types.h>

namespace arch {

using InterruptState = u64;

InterruptState save_and_disable_interrupts();
void restore_interrupts(InterruptState state);
void enable_interrupts();
void disable_interrupts();
bool interrupts_enabled();

// A spin-wait hint (pause).
void cpu_relax();

// Stops this CPU for good, with interrupts off.
[[noreturn]] void halt_forever();

// Waits for the next interrupt (sti; hlt).
void wait_for_interrupt();

} // namespace arch
