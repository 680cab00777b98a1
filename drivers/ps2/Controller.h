#pragma once

// The 8042 PS/2 controller: data port 0x60, status/command port 0x64. Every
// wait on it is bounded, so a machine without one (or with a wedged one)
// gets an error, never a hang. Callers serialize access (Keyboard.cpp's lock).
#include <kernel/lib/Error.h>

namespace ps2 {

// Status register bits (port 0x64, read).
enum class Status : u8 {
    OutputFull = 0x01,    // a byte waits in the data port
    InputFull = 0x02,     // the controller has not taken the last write yet
    AuxOutputFull = 0x20, // the waiting byte came from the second port (mouse)
};

// Configuration byte bits (controller commands 0x20/0x60).
enum class Config : u8 {
    Port1Interrupt = 0x01,
    Port2Interrupt = 0x02,
    Port1ClockDisabled = 0x10,
    Port2ClockDisabled = 0x20,
    Port1Translation = 0x40, // scan code set 2 from the keyboard becomes set 1
};

u8 read_status();
bool has(u8 status, Status bit);

// Disables both ports, flushes, programs the configuration (interrupts off,
// translation on), runs the controller self-test and the port 1 interface
// test, and enables port 1. ENODEV if no controller answers or a test
// fails, ETIMEDOUT if it stops responding.
ErrorOr<void> initialize_controller();

// Sends a byte to the device on port 1 and waits for one reply byte.
ErrorOr<u8> send_to_port1(u8 byte);
// Waits for the next byte from the data port.
ErrorOr<u8> read_data();
// Reads the data port without waiting: for a caller that saw OutputFull.
u8 read_data_now();

enum class Interrupt {
    Disabled,
    Enabled,
};

// Turns the IRQ 1 line for port 1 on or off in the configuration byte.
ErrorOr<void> set_port1_interrupt(Interrupt state);

// Pulses the CPU reset line (controller command 0xFE). Returns if the
// machine is still running afterwards.
void pulse_reset_line();

} // namespace ps2
