#pragma once

// The VGA 80x25 colour text screen at physical 0xb8000, as a console output
// that mirrors the serial console (see TextMode.cpp for what it interprets).
namespace vga {

// Clears the screen, shows the hardware cursor and registers the screen as a
// console output. Call once during boot, after serial::init().
void init();

} // namespace vga
