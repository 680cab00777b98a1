#pragma once

// The 16550 UART on COM1: Osprey's primary console (115200 8N1).
#include <kernel/lib/StringView.h>

namespace serial {

// Programs COM1 for 115200 8N1 with FIFOs. Returns false if no UART answers
// (the loopback self-test fails), in which case output is dropped.
bool init();
void write(StringView text);
void put_char(char c);
// Returns the next received byte, or -1 if none is waiting.
int try_read();
// Enables the "received data available" interrupt (IRQ 4).
void enable_receive_interrupt();

} // namespace serial
