#pragma once

// The PS/2 keyboard: input for the VGA console. Key presses become the bytes
// a serial terminal would send (see KeyDecoder.h) and go into the console
// input queue, so kshell reads serial and keyboard alike.
namespace ps2 {

// Initializes the 8042 and resets the keyboard. Without a controller or a
// keyboard it logs a warning and returns; poll() and handle_interrupt() then
// do nothing.
void init();

// Moves pending scan codes into the console input queue. Safe to call at any
// time (console::try_read_char calls it), with or without interrupts.
void poll();

// The IRQ 1 handler body: same as poll(). The caller sends the EOI.
void handle_interrupt();

// Lets the controller raise IRQ 1 for keyboard bytes. Call it once the
// interrupt is routed to handle_interrupt().
void enable_interrupt();

} // namespace ps2
